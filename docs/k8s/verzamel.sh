#!/usr/bin/env bash
# De verzamelstap voor de begeleider: haalt de antwoordenbestanden van alle deelnemers van een hub op Kubernetes
# (Zero to JupyterHub) naar één map, met een submap per deelnemer, en controleert ze met `imworkbook validate`.
#
#   docs/k8s/verzamel.sh [MAP]             # standaard: verzameld-<datum>
#
# Instellingen (omgevingsvariabelen):
#   NAMESPACE      namespace van de hub (standaard: werkboek)
#   RELEASE        naam van de Helm-release; leeg = alle hubs in de namespace (standaard: leeg)
#   ANTWOORDEN     de map met antwoorden in de pod: IMWORKBOOK_HOME/antwoorden (standaard: zoals docs/k8s/values.yaml)
#   HULP_IMAGE     image voor de tijdelijke hulppod (standaard: busybox:1.36; iets met sh en tar)
#   KUBECTL        kubectl-opdracht (standaard: kubectl)
#
# Alleen lezen, nooit schrijven in de volumes van deelnemers:
# - draait de server van een deelnemer, dan leest `kubectl exec` de bestanden in die pod (tar naar stdout);
# - zo niet, dan start een tijdelijke hulppod die het volume ALLEEN-LEZEN koppelt, leest, en weer verdwijnt.
# Alleen gewone bestanden *.json: reservekopieën (*.origineel-*.json), tijdelijke bestanden (.*) en symlinks niet.
# Lukt één deelnemer niet, dan gaat het script door met de rest en meldt het die aan het eind (exitcode 1).
# Nodig: bash 4 of nieuwer (op macOS: brew install bash); kubectl met rechten op pods, pods/exec en
# persistentvolumeclaims in die namespace; imworkbook op PATH.
set -euo pipefail

NAMESPACE=${NAMESPACE:-werkboek}
RELEASE=${RELEASE:-}
ANTWOORDEN=${ANTWOORDEN:-/home/jovyan/imworkbook/antwoorden}
HULP_IMAGE=${HULP_IMAGE:-busybox:1.36}
KUBECTL=${KUBECTL:-kubectl}
UIT=${1:-verzameld-$(date +%Y-%m-%d)}
HOME_IN_POD=/home/jovyan  # singleuser.storage.homeMountPath: daar koppelt de hub het volume

# shellcheck disable=SC2086  # KUBECTL mag argumenten bevatten, bv. "kubectl --context workshop"
k() { $KUBECTL --namespace "$NAMESPACE" "$@"; }

release_label=""
if [ -n "$RELEASE" ]; then release_label=",release=$RELEASE"; fi

# De leesopdracht in de pod ($1 = de antwoordenmap): tar van de gewone *.json-bestanden naar stdout; geen map of
# geen bestanden = niets.
# shellcheck disable=SC2016  # $f, $1 en $@ horen bij de shell in de pod
lees='cd "$1" 2>/dev/null || exit 0; set --; for f in *.json; do case "$f" in *.origineel-*) ;; *) if [ -f "$f" ] && [ ! -L "$f" ]; then set -- "$@" "$f"; fi;; esac; done; [ "$#" -gt 0 ] || exit 0; tar -cf - -- "$@"'

mkdir -p "$UIT"

# De volumes (PVC's) van de deelnemers, met de gebruikersnaam uit de annotatie die KubeSpawner erop zet.
pvcs=$(k get pvc -l "component=singleuser-storage$release_label" \
  -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.metadata.annotations.hub\.jupyter\.org/username}{"\n"}{end}')
# De draaiende servers, met het volume dat ze gebruiken.
declare -A pod_van=()
while IFS=$'\t' read -r pod claims; do
  [ -n "$pod" ] || continue
  for claim in $claims; do pod_van[$claim]=$pod; done
done < <(k get pods -l "component=singleuser-server$release_label" --field-selector=status.phase=Running \
  -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{range .spec.volumes[*]}{.persistentVolumeClaim.claimName}{" "}{end}{"\n"}{end}')

hulppod=""
opruimen() {
  if [ -n "$hulppod" ]; then k delete pod "$hulppod" --wait=false >/dev/null 2>&1 || true; fi
  hulppod=""
}
trap 'opruimen; rm -f "${pakket:-}"' EXIT

# Lees de antwoordenmap in pod $1 (container $2) uit naar map $3 (leeg als er niets is).
pakket=$(mktemp)
uitlezen() {
  k exec "$1" -c "$2" -- sh -c "$lees" sh "$ANTWOORDEN" >"$pakket" || return 1
  if [ -s "$pakket" ]; then tar -xf "$pakket" --no-same-owner -C "$3" || return 1; fi
}

# Een volume zonder draaiende server: een hulppod koppelt het alleen-lezen. Binnen een `if` of `||` stopt
# `set -e` een functie niet; daarom staat achter elke stap `|| return 1`.
via_hulppod() {
  local pvc=$1 doel=$2
  hulppod="imworkbook-verzamel-$(printf '%s' "$pvc" | cksum | cut -d' ' -f1)"
  echo "  hulppod $hulppod leest het volume $pvc (alleen lezen)"
  k apply -f - >/dev/null <<EOF || return 1
apiVersion: v1
kind: Pod
metadata:
  name: $hulppod
  labels: {app.kubernetes.io/name: imworkbook-verzamel}
spec:
  restartPolicy: Never
  securityContext: {runAsNonRoot: true, runAsUser: 1000, runAsGroup: 100, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: lezer
      image: $HULP_IMAGE
      command: [sleep, "600"]
      securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
      resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {cpu: 200m, memory: 64Mi}}
      volumeMounts: [{name: home, mountPath: $HOME_IN_POD, readOnly: true}]
  volumes:
    - name: home
      persistentVolumeClaim: {claimName: $pvc, readOnly: true}
EOF
  k wait --for=condition=Ready "pod/$hulppod" --timeout=180s >/dev/null || return 1
  uitlezen "$hulppod" lezer "$doel" || return 1
  k delete pod "$hulppod" --wait=true >/dev/null || return 1  # daarna is het volume weer vrij voor de deelnemer
  hulppod=""
}

aantal=0
mislukt=()
while IFS=$'\t' read -r -u 3 pvc gebruiker; do  # via fd 3: kubectl in de lus kan stdin niet leegeten
  [ -n "$pvc" ] || continue
  naam=${gebruiker:-$pvc}
  naam=${naam//\//_}
  doel="$UIT/$naam"
  mkdir -p "$doel"
  if [ -n "${pod_van[$pvc]:-}" ]; then
    echo "$naam: uit de draaiende server ${pod_van[$pvc]}"
    uitlezen "${pod_van[$pvc]}" notebook "$doel" || mislukt+=("$naam")
  else
    echo "$naam: de server staat uit"
    via_hulppod "$pvc" "$doel" || { opruimen; mislukt+=("$naam"); }
  fi
  aantal=$((aantal + 1))
done 3<<<"$pvcs"

echo "$aantal volume(s) gelezen; de bestanden staan in $UIT"
status=0
imworkbook validate "$UIT" || status=$?
if [ "${#mislukt[@]}" -gt 0 ]; then
  echo "NIET gelezen (probeer opnieuw, of kijk met kubectl describe pod/pvc): ${mislukt[*]}" >&2
  status=1
fi
exit "$status"
