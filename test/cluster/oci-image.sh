#!/usr/bin/env bash
# oci-image.sh ROOTFS_DIR ENTRYPOINT IMAGE_NAME OUT_TAR
# Packs a directory as a one-layer OCI image layout tarball that `ctr images import` accepts
# (no registry, no docker). Deterministic: fixed mtimes and owners. IMAGE_USER sets the user
# (default 65535:65535).
set -euo pipefail
rootfs="$1" entry="$2" name="$3" out="$4"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/blobs/sha256"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$rootfs" -cf "$work/layer.tar" .
sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }
layer=$(sha "$work/layer.tar"); mv "$work/layer.tar" "$work/blobs/sha256/$layer"
printf '{"architecture":"amd64","os":"linux","config":{"Entrypoint":["%s"],"User":"%s","Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created_by":"test/cluster/oci-image.sh"}]}' \
  "$entry" "${IMAGE_USER:-65535:65535}" "$layer" > "$work/config.json"
cfg=$(sha "$work/config.json"); csz=$(size "$work/config.json"); mv "$work/config.json" "$work/blobs/sha256/$cfg"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
  "$cfg" "$csz" "$layer" "$(size "$work/blobs/sha256/$layer")" > "$work/manifest.json"
man=$(sha "$work/manifest.json"); msz=$(size "$work/manifest.json"); mv "$work/manifest.json" "$work/blobs/sha256/$man"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
  "$man" "$msz" "$name" "${name##*:}" > "$work/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' > "$work/oci-layout"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work" -cf "$out.tmp" oci-layout index.json blobs
mv "$out.tmp" "$out"
