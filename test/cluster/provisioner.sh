#!/usr/bin/env bash
# A minimal dynamic hostPath provisioner for the single-node test cluster (StorageClass
# "local-path", provisioner todo.local/hostpath). The PV controller marks each pending claim of
# that class with the provisioner's name; this loop creates a hostPath PV under $STORAGE_DIR
# pre-bound to the claim, and deletes the folder and the PV once a claim is released.
set -uo pipefail
: "${KUBECONFIG:?}" "${STORAGE_DIR:?}" "${NODE_NAME:?}"
KUBECTL="${KUBECTL:-kubectl}"
PROVISIONER=todo.local/hostpath
k() { "$KUBECTL" --kubeconfig "$KUBECONFIG" "$@"; }

provision() {
  k get pvc -A -o json | jq -r --arg p "$PROVISIONER" '.items[]
    | select(.status.phase == "Pending")
    | select((.metadata.annotations // {}) as $a | ($a["volume.kubernetes.io/storage-provisioner"] // $a["volume.beta.kubernetes.io/storage-provisioner"]) == $p)
    | [.metadata.namespace, .metadata.name, .metadata.uid, .spec.resources.requests.storage, (.spec.accessModes | join(",")), (.spec.volumeMode // "Filesystem"), .spec.storageClassName] | @tsv' |
  while IFS=$'\t' read -r ns name uid size modes vmode class; do
    [[ "$vmode" == Filesystem ]] || { echo "skip $ns/$name: volumeMode $vmode unsupported"; continue; }
    local pv="pvc-$uid" dir="$STORAGE_DIR/$ns-$name-$uid"
    k get pv "$pv" >/dev/null 2>&1 && continue
    mkdir -p "$dir" && chmod 0777 "$dir"
    local modes_json; modes_json="[\"${modes//,/\",\"}\"]"
    k create -f - <<PV && echo "provisioned $pv for $ns/$name at $dir ($size)"
{"apiVersion": "v1", "kind": "PersistentVolume",
 "metadata": {"name": "$pv", "annotations": {"pv.kubernetes.io/provisioned-by": "$PROVISIONER"}},
 "spec": {"capacity": {"storage": "$size"}, "accessModes": $modes_json, "volumeMode": "Filesystem",
   "persistentVolumeReclaimPolicy": "Delete", "storageClassName": "$class",
   "claimRef": {"namespace": "$ns", "name": "$name", "uid": "$uid"},
   "hostPath": {"path": "$dir", "type": "DirectoryOrCreate"},
   "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": ["$NODE_NAME"]}]}]}}}}
PV
  done
}

reclaim() {
  k get pv -o json | jq -r --arg p "$PROVISIONER" '.items[]
    | select(.metadata.annotations["pv.kubernetes.io/provisioned-by"] == $p)
    | select(.status.phase == "Released" or .status.phase == "Failed")
    | select(.spec.persistentVolumeReclaimPolicy == "Delete")
    | [.metadata.name, .spec.hostPath.path] | @tsv' |
  while IFS=$'\t' read -r pv dir; do
    case "$dir" in "$STORAGE_DIR"/?*) rm -rf -- "$dir" ;; esac
    k delete pv "$pv" --wait=false >/dev/null && echo "deleted $pv ($dir)"
  done
}

echo "hostpath provisioner: $PROVISIONER -> $STORAGE_DIR"
while :; do
  provision
  reclaim
  sleep "${INTERVAL:-1}"
done
