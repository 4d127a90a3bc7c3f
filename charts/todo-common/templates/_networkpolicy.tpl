{{/*
NetworkPolicy egress rule that lets a pod resolve names: UDP and TCP port 53 of the cluster DNS
(pods labelled k8s-app: kube-dns, in any namespace). One item of spec.egress.
*/}}
{{- define "todo-common.dnsEgress" -}}
- to:
    - namespaceSelector: {}
      podSelector:
        matchLabels:
          k8s-app: kube-dns
  ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- end }}
