{{/*
PodDisruptionBudget of the chart's pods, when podDisruptionBudget.enabled: minAvailable when set,
else maxUnavailable. A chart's templates/pdb.yaml is the one line that includes it.
*/}}
{{- define "todo-common.pdb" -}}
{{- if .Values.podDisruptionBudget.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "todo-common.fullname" . }}
  labels:
    {{- include "todo-common.labels" . | nindent 4 }}
spec:
  {{- if not (kindIs "invalid" .Values.podDisruptionBudget.minAvailable) }}
  minAvailable: {{ .Values.podDisruptionBudget.minAvailable }}
  {{- else }}
  maxUnavailable: {{ .Values.podDisruptionBudget.maxUnavailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "todo-common.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}
