{{/*
Security contexts, as set in the values (values.schema.json insists on non-root, no privilege
escalation, a read-only root filesystem and all capabilities dropped).
*/}}

{{/* Pod security context. */}}
{{- define "todo-common.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext }}
{{- end }}

{{/* Container security context (the main container and the test pod's). */}}
{{- define "todo-common.containerSecurityContext" -}}
{{- toYaml .Values.containerSecurityContext }}
{{- end }}
