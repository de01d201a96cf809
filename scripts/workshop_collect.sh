#!/usr/bin/env bash
# De verzamelstap van een workshop op één server (docs/workshop.md): haalt de antwoordenbestanden van alle
# deelnemers uit hun thuismap naar één map, met een submap per deelnemer, en controleert ze met `imworkbook validate`.
#
#   bash /opt/imworkbook/scripts/workshop_collect.sh [MAP]     # standaard: /srv/imworkbook/verzameld-<datum-tijd>
#
# Als root. De deelnemers staan in /srv/imworkbook-hub/gebruikers.txt (scripts/workshop_users.py; andere map:
# WORKSHOP_STATE). Alleen gewone bestanden ~/imworkbook/antwoorden/*.json van de deelnemer zelf: geen
# reservekopieën (*.origineel-*), geen verborgen bestanden, geen koppelingen (symlinks), en geen voorbeeldscholen
# (die staan in antwoorden/voorbeelden/).
# De verzamelde map is alleen voor root leesbaar (de antwoorden horen bij de scholen).
set -euo pipefail

STATE=${WORKSHOP_STATE:-/srv/imworkbook-hub}
UIT=${1:-/srv/imworkbook/verzameld-$(date +%Y-%m-%d_%H%M)}
IMWORKBOOK=${IMWORKBOOK:-imworkbook}

if [ ! -r "$STATE/gebruikers.txt" ]; then
  echo "Geen lijst met deelnemers: $STATE/gebruikers.txt (maak die met scripts/workshop_users.py)." >&2
  exit 2
fi
umask 077
mkdir -p "$UIT"

totaal=0
while IFS=: read -r naam rol _hash; do
  case "$naam" in ''|'#'*) continue;; esac
  [ "$rol" = deelnemer ] || continue
  thuis=$(getent passwd "$naam" | cut -d: -f6) || { echo "  $naam: geen systeemgebruiker; overgeslagen" >&2; continue; }
  bron="$thuis/imworkbook/antwoorden"
  if [ -L "$thuis/imworkbook" ] || [ -L "$bron" ]; then  # root reads here: never through a participant's link
    echo "  $naam: $bron is (via) een koppeling; overgeslagen" >&2
    continue
  fi
  n=0
  for f in "$bron"/*.json; do
    [ -f "$f" ] && [ ! -L "$f" ] && [ "$(stat -c %U -- "$f")" = "$naam" ] || continue  # own regular files only
    case "$(basename "$f")" in .*|*.origineel-*) continue;; esac
    mkdir -p "$UIT/$naam"
    cp -- "$f" "$UIT/$naam/"
    n=$((n + 1))
  done
  echo "  $naam: $n bestand(en)"
  totaal=$((totaal + n))
done < "$STATE/gebruikers.txt"

echo "Verzameld: $totaal bestand(en) in $UIT"
"$IMWORKBOOK" validate "$UIT"
