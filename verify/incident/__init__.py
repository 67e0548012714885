"""The incident run: the order system started as in production, on
127.0.0.1, through a payment provider outage (scenario.py), with what an
on-call engineer sees recorded as the unit ``incident:payment-outage``.

    system.py      the processes: PostgreSQL, NATS, the order API, the
                   worker, Prometheus; free ports, stopped by PID
    provider.py    the payment provider stand-in: healthy, degraded, down, back
    otlp.py        the OTLP/HTTP receiver the programs export spans to
    jetstream.py   reading the dead-letter stream back (JetStream API)
    prometheus.py  the project's rules with short alert timings; the HTTP API
    scenario.py    the steps, each asserting what it records

`make verify` runs it as one unit (verify/check_incident.py); `make incident`
runs it on its own and prints the timeline (``python -m verify.incident``).
"""
