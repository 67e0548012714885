// Package postgres is the order.Store and order.Outbox for production:
// orders and their events in PostgreSQL, written in one transaction.
package postgres

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"example.com/orders/order"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store keeps orders in PostgreSQL.
type Store struct {
	db *pgxpool.Pool
}

// Open connects to url (a postgres:// URL or key=value string) and
// applies the migrations that have not run yet.
func Open(ctx context.Context, url string) (*Store, error) {
	db, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db}, nil
}

// Close closes the connections.
func (s *Store) Close() { s.db.Close() }

// Ping checks that the database answers, for a readiness check.
func (s *Store) Ping(ctx context.Context) error { return s.db.Ping(ctx) }

// --8<-- [start:migrate]

// migrate applies each file in migrations/ once, in name order, each in
// its own transaction. The advisory lock makes pods that start at the
// same time take turns instead of racing.
func migrate(ctx context.Context, db *pgxpool.Pool) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	for _, name := range names {
		sql, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		err = pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(4711);
				CREATE TABLE IF NOT EXISTS schema_migrations (
					name text PRIMARY KEY)`)
			if err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, `INSERT INTO schema_migrations
				VALUES ($1) ON CONFLICT DO NOTHING`, name)
			if err != nil || tag.RowsAffected() == 0 {
				return err // applied before
			}
			_, err = tx.Exec(ctx, string(sql))
			return err
		})
		if err != nil {
			return fmt.Errorf("postgres: migration %s: %w", name, err)
		}
	}
	return nil
}

// --8<-- [end:migrate]

// --8<-- [start:create]

// Create implements order.Store: the order and its event in one
// transaction, or neither.
func (s *Store) Create(ctx context.Context, o order.Order,
	req order.Request) (order.Order, bool, error) {
	items, err := json.Marshal(o.Items)
	if err != nil {
		return order.Order{}, false, err
	}
	event, err := json.Marshal(o.CreatedEvent())
	if err != nil {
		return order.Order{}, false, err
	}
	// The trace of the request, for the relay to continue.
	trace, err := json.Marshal(order.CaptureTrace(ctx))
	if err != nil {
		return order.Order{}, false, err
	}
	var replayed bool
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		// A second request with the same key waits here until the first
		// commits, then inserts nothing.
		tag, err := tx.Exec(ctx, `INSERT INTO orders (id, customer_id,
				items, total_cents, created_at, idempotency_key, fingerprint)
			VALUES ($1, $2, $3, $4, $5, NULLIF($6, ''), $7)
			ON CONFLICT DO NOTHING`,
			o.ID, o.CustomerID, items, o.TotalCents, o.CreatedAt,
			req.Key, req.Fingerprint)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			replayed = true
			o, err = s.replay(ctx, tx, o.ID, req)
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO outbox (event_id, event,
				trace_context)
			VALUES ($1, $2, $3)`, o.CreatedEvent().ID, event, trace)
		return err
	})
	if err != nil {
		return order.Order{}, false, err
	}
	return o, replayed, nil
}

// --8<-- [end:create]

// replay returns the order that an earlier request with req.Key created.
func (s *Store) replay(ctx context.Context, tx pgx.Tx, id string,
	req order.Request) (order.Order, error) {
	var fingerprint *string
	o, err := scanOrder(tx.QueryRow(ctx, `SELECT id, customer_id, items,
			total_cents, created_at, fingerprint
		FROM orders WHERE idempotency_key = $1 OR id = $2`, req.Key, id),
		&fingerprint)
	if err != nil {
		return order.Order{}, err
	}
	if req.Key == "" || fingerprint == nil || *fingerprint != req.Fingerprint {
		return order.Order{}, order.ErrKeyReused
	}
	return o, nil
}

// Get implements order.Store.
func (s *Store) Get(ctx context.Context, id string) (order.Order, error) {
	var fingerprint *string
	o, err := scanOrder(s.db.QueryRow(ctx, `SELECT id, customer_id, items,
			total_cents, created_at, fingerprint
		FROM orders WHERE id = $1`, id), &fingerprint)
	if errors.Is(err, pgx.ErrNoRows) {
		return order.Order{}, order.ErrNotFound
	}
	return o, err
}

func scanOrder(row pgx.Row, fingerprint **string) (order.Order, error) {
	var o order.Order
	var items []byte
	err := row.Scan(&o.ID, &o.CustomerID, &items, &o.TotalCents,
		&o.CreatedAt, fingerprint)
	if err != nil {
		return order.Order{}, err
	}
	o.CreatedAt = o.CreatedAt.UTC()
	return o, json.Unmarshal(items, &o.Items)
}

// --8<-- [start:relay]

// PublishPending implements order.Outbox. It locks the oldest unsent rows
// with SKIP LOCKED, so a second relay takes the rows after them instead of
// the same ones; publishes them; and marks them sent in the same
// transaction. If the process dies after publishing and before the commit,
// the rows are unsent again and are published again: the bus drops the
// duplicate by its event id.
func (s *Store) PublishPending(ctx context.Context, limit int,
	publish func(context.Context, order.Event) error) (int, error) {
	sent := 0
	var publishErr error
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT seq, event, trace_context
			FROM outbox
			WHERE sent_at IS NULL ORDER BY seq LIMIT $1
			FOR UPDATE SKIP LOCKED`, limit)
		if err != nil {
			return err
		}
		type row struct {
			seq   int64
			event order.Event
			trace order.TraceContext
		}
		batch, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (
			row, error) {
			var x row
			return x, r.Scan(&x.seq, &x.event, &x.trace)
		})
		if err != nil {
			return err
		}
		var done []int64
		for _, r := range batch {
			publishErr = publish(r.trace.Continue(ctx), r.event)
			if publishErr != nil {
				break // keep the order: the rest waits for the next pass
			}
			done = append(done, r.seq)
		}
		_, err = tx.Exec(ctx, `UPDATE outbox SET sent_at = now()
			WHERE seq = ANY($1)`, done)
		if err != nil {
			return err
		}
		sent = len(done) // committed even if a later one failed
		return nil
	})
	if err != nil {
		sent = 0 // rolled back: nothing is marked
	}
	return sent, errors.Join(err, publishErr)
}

// --8<-- [end:relay]

// --8<-- [start:backlog]

// Backlog implements order.BacklogReader. Both reads use the partial index
// of unsent rows, so they stay cheap at every scrape however long the
// table grows.
func (s *Store) Backlog(ctx context.Context) (order.Backlog, error) {
	var b order.Backlog
	var oldest *time.Time
	err := s.db.QueryRow(ctx, `SELECT count(*), (SELECT created_at
			FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT 1)
		FROM outbox WHERE sent_at IS NULL`).Scan(&b.Rows, &oldest)
	if err != nil {
		return order.Backlog{}, fmt.Errorf("postgres: outbox backlog: %w",
			err)
	}
	if oldest != nil {
		b.Oldest = oldest.UTC()
	}
	return b, nil
}

// --8<-- [end:backlog]

var (
	_ order.Store         = (*Store)(nil)
	_ order.Outbox        = (*Store)(nil)
	_ order.BacklogReader = (*Store)(nil)
)
