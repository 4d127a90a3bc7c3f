{{/*
Where the pods go. topologySpreadConstraints, when set, are used as given; otherwise, with
topologySpread.enabled, the replicas of one revision are spread over nodes and then zones with
whenUnsatisfiable: ScheduleAnyway: a preference the scheduler scores, never a condition, so one
node (Minikube) schedules every replica as before while a multi-node cluster keeps them apart
(the soft form of pod anti-affinity). matchLabelKeys: pod-template-hash counts only the pods of the
same ReplicaSet, so a rolling update spreads the new pods among themselves.
*/}}
{{- define "todo-common.topologySpreadConstraints" -}}
{{- if .Values.topologySpreadConstraints -}}
topologySpreadConstraints:
  {{- toYaml .Values.topologySpreadConstraints | nindent 2 }}
{{- else if .Values.topologySpread.enabled -}}
topologySpreadConstraints:
  {{- range list "kubernetes.io/hostname" "topology.kubernetes.io/zone" }}
  - maxSkew: {{ $.Values.topologySpread.maxSkew }}
    topologyKey: {{ . }}
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "todo-common.selectorLabels" $ | nindent 8 }}
    matchLabelKeys:
      - pod-template-hash
  {{- end }}
{{- end }}
{{- end }}
