{{/*
Labels: the standard app.kubernetes.io set. The component label is the one fact each chart states
itself, in its own _helpers.tpl:  define "<chart name>.component"  (api, frontend, database).
*/}}

{{/* Selector labels: never change across upgrades (Deployment and StatefulSet selectors are immutable). */}}
{{- define "todo-common.selectorLabels" -}}
app.kubernetes.io/name: {{ include "todo-common.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of every object the chart renders (and of its pods). */}}
{{- define "todo-common.labels" -}}
helm.sh/chart: {{ include "todo-common.chart" . }}
{{ include "todo-common.selectorLabels" . }}
app.kubernetes.io/version: {{ include "todo-common.imageTag" . | quote }}
app.kubernetes.io/component: {{ include (printf "%s.component" .Chart.Name) . }}
app.kubernetes.io/part-of: todo-chatbot
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
The label that marks a client pod the chart's NetworkPolicy admits besides its usual peers
(the chart's own `helm test` pod carries it).
*/}}
{{- define "todo-common.clientLabel" -}}
{{ include "todo-common.fullname" . }}-client: "true"
{{- end }}

{{/*
Labels of the chart's `helm test` pod: not the selector labels (the Service, PDB and NetworkPolicy
must not select it), so its name has a -test suffix and its component is test; plus the client label.
*/}}
{{- define "todo-common.testPodLabels" -}}
helm.sh/chart: {{ include "todo-common.chart" . }}
app.kubernetes.io/name: {{ include "todo-common.name" . }}-test
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ include "todo-common.imageTag" . | quote }}
app.kubernetes.io/component: test
app.kubernetes.io/part-of: todo-chatbot
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{ include "todo-common.clientLabel" . }}
{{- end }}
