{{/*
Helpers of the todo-backend chart. Names, labels, the image and the security contexts come from the
todo-common library chart (charts/todo-common); what is below is this chart's own.
*/}}

{{/* app.kubernetes.io/component of everything this chart renders (read by todo-common.labels). */}}
{{- define "todo-backend.component" -}}api{{- end }}

{{/* Secret holding BETTER_AUTH_SECRET. */}}
{{- define "todo-backend.authSecretName" -}}
{{- .Values.auth.existingSecret | default (include "todo-common.fullname" .) }}
{{- end }}

{{/* True when DATABASE_URL comes from a Secret (external database). */}}
{{- define "todo-backend.externalDatabase" -}}
{{- if or .Values.database.existingSecret .Values.database.url }}true{{ end }}
{{- end }}

{{/* Secret holding DATABASE_URL. */}}
{{- define "todo-backend.databaseSecretName" -}}
{{- .Values.database.existingSecret | default (include "todo-common.fullname" .) }}
{{- end }}

{{/* True when OPENAI_API_KEY comes from a Secret. */}}
{{- define "todo-backend.openaiEnabled" -}}
{{- if or .Values.openai.existingSecret .Values.openai.apiKey }}true{{ end }}
{{- end }}

{{/* Secret holding OPENAI_API_KEY. */}}
{{- define "todo-backend.openaiSecretName" -}}
{{- .Values.openai.existingSecret | default (include "todo-common.fullname" .) }}
{{- end }}

{{/* True when this chart renders its own Secret. */}}
{{- define "todo-backend.createSecret" -}}
{{- if or (not .Values.auth.existingSecret) (and .Values.database.url (not .Values.database.existingSecret)) (and .Values.openai.apiKey (not .Values.openai.existingSecret)) }}true{{ end }}
{{- end }}

{{/* True when the backend is given the CA of the external database's TLS certificate. */}}
{{- define "todo-backend.databaseCa" -}}
{{- if or .Values.database.tls.caCert .Values.database.tls.existingConfigMap }}
{{- if not (include "todo-backend.externalDatabase" .) }}
{{- fail "database.tls.caCert and database.tls.existingConfigMap are for an external database: set database.url or database.existingSecret too" }}
{{- end }}true
{{- end }}
{{- end }}

{{/* ConfigMap holding the database's CA certificate. */}}
{{- define "todo-backend.databaseCaConfigMap" -}}
{{- .Values.database.tls.existingConfigMap | default (printf "%s-database-ca" (include "todo-common.fullname" .)) }}
{{- end }}

{{/* Where the backend reads the database's CA (PGSSLROOTCERT). */}}
{{- define "todo-backend.databaseCaFile" -}}/etc/todo-backend/database-ca/ca.crt{{- end }}
