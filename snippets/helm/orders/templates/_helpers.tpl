{{/*
Names and labels shared by every template. Kept small on purpose: each
helper exists because two or more templates need exactly the same text.
*/}}

{{/* The release's base name, e.g. "orders". Worker objects add "-worker". */}}
{{- define "orders.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 56 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 56 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/*
Selector labels: they identify a component's pods and never change after
the first install (a Deployment's selector is immutable).
Call with (dict "root" $ "component" "api"); objects that both components
share (ServiceAccount, ConfigMap) leave the component out.
*/}}
{{- define "orders.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end -}}

{{/* Labels on every object: the selector labels plus who manages it. */}}
{{- define "orders.labels" -}}
{{ include "orders.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{/* The container image: a tag is required (the schema rejects "latest"). */}}
{{- define "orders.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}
