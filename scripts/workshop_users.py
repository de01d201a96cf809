#!/usr/bin/env python3
"""Accounts for a workshop on JupyterHub (docs/workshop.md): a system user and a password per participant, and one
for the facilitator (begeleider), who is the hub's admin. Only the standard library; run as root.

    python3 scripts/workshop_users.py maak --aantal 20                 # school01 ... school20 and begeleider
    python3 scripts/workshop_users.py maak --namen tafel1,tafel2 --adres https://werkboek.example.nl
    python3 scripts/workshop_users.py lijst
    python3 scripts/workshop_users.py verwijder --ja                   # at the end: userdel -r for all of them

Writes, in WORKSHOP_STATE (default /srv/imworkbook-hub, 0700, root only):
    gebruikers.txt                 name:role:scrypt-hash per line; docs/jupyterhub_config.py reads it at every log-in
    inloggegevens-<tijd>.html      cards to print and cut (name, password, address); delete after printing
    inloggegevens-<tijd>.csv       the same as a table
Passwords are never stored in plain text except in those two files, which only root can read.
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import hashlib
import html
import os
import pwd
import re
import secrets
import subprocess
import sys
from pathlib import Path

STATE = Path(os.environ.get("WORKSHOP_STATE", "/srv/imworkbook-hub"))
USERS_FILE = STATE / "gebruikers.txt"
ROLES = ("deelnemer", "begeleider")
NAME = re.compile(r"^[a-z][a-z0-9_-]{1,30}$")
# easy to read aloud and to type: no letters that look alike (l/1, o/0) and no capitals
CONSONANTS, VOWELS = "bdfghjkmnprstvz", "aeiu"


def new_password() -> str:
    """Three groups of two syllables and a digit (e.g. 'bova-kesi-duma7'): about 40 bits, typed on any keyboard."""
    groups = ["".join(secrets.choice(CONSONANTS) + secrets.choice(VOWELS) for _ in range(2)) for _ in range(3)]
    return "-".join(groups) + str(secrets.randbelow(10))


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    n, r, p = 2**14, 8, 1
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)
    return f"scrypt${n}${r}${p}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def read_users() -> dict[str, tuple[str, str]]:
    users = {}
    if USERS_FILE.exists():
        for line in USERS_FILE.read_text(encoding="utf-8").splitlines():
            parts = line.strip().split(":")
            if len(parts) == 3 and not line.startswith("#"):
                users[parts[0]] = (parts[1], parts[2])
    return users


def write_users(users: dict[str, tuple[str, str]]) -> None:
    STATE.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(STATE, 0o700)
    tmp = USERS_FILE.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("# naam:rol:wachtwoord-hash (scripts/workshop_users.py); rol begeleider = beheerder van de hub\n")
        for name, (role, hashed) in users.items():
            fh.write(f"{name}:{role}:{hashed}\n")
    os.replace(tmp, USERS_FILE)


CREATED_FILE = STATE / "aangemaakt.txt"  # the system users this script made: only those are removed again


def created() -> set[str]:
    return set(CREATED_FILE.read_text(encoding="utf-8").split()) if CREATED_FILE.exists() else set()


def system_user(name: str) -> None:
    """The participant's system user with a private home (0700); an existing user is kept as it is (and is never
    removed by `verwijder`)."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/usr/sbin/nologin", name], check=True)
        STATE.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(CREATED_FILE, "a", encoding="utf-8") as fh:
            fh.write(name + "\n")
    os.chmod(pwd.getpwnam(name).pw_dir, 0o700)


def cards_html(rows: list[tuple[str, str, str]], address: str) -> str:
    cards = "\n".join(
        f"<div class='card'><div class='role'>{html.escape('Begeleider' if role == 'begeleider' else 'Werkboek')}"
        f"</div><div>Adres: <b>{html.escape(address)}</b></div><div>Naam: <b>{html.escape(name)}</b></div>"
        f"<div>Wachtwoord: <b class='pw'>{html.escape(password)}</b></div>"
        "<div class='small'>Je antwoorden blijven op de server, alleen voor jou te zien.</div></div>"
        for name, role, password in rows)
    return f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Inloggegevens werkboek</title>
<style>
 body {{font-family: sans-serif; margin: 1cm}}
 .card {{display: inline-block; width: 8.2cm; margin: 0 .3cm .4cm 0; padding: .4cm; border: 1px dashed #555;
         vertical-align: top; font-size: 12pt; line-height: 1.6; page-break-inside: avoid}}
 .role {{font-weight: bold; font-size: 14pt}} .pw {{font-family: monospace; font-size: 14pt}}
 .small {{font-size: 9pt; color: #444}}
</style></head><body>
{cards}
</body></html>
"""


def make(args) -> int:
    if args.namen:
        names = [n.strip() for n in args.namen.split(",") if n.strip()]
    else:
        names = [f"{args.voorvoegsel}{i:02d}" for i in range(1, args.aantal + 1)]
    wanted = [(n, "deelnemer") for n in names]
    if args.begeleider:
        wanted.append((args.begeleider, "begeleider"))
    bad = [n for n, _ in wanted if not NAME.match(n)]
    if bad:
        print("Ongeldige naam: " + ", ".join(bad) + " (kleine letters, cijfers, - of _; begint met een letter)",
              file=sys.stderr)
        return 2
    users = read_users()
    rows = []
    for name, role in wanted:
        if name in users and not args.nieuw_wachtwoord:
            continue
        system_user(name)
        password = new_password()
        users[name] = (role, hash_password(password))
        rows.append((name, role, password))
    write_users(users)
    if not rows:
        print(f"Niets nieuw: alle namen staan al in {USERS_FILE} (--nieuw-wachtwoord geeft ze een nieuw wachtwoord).")
        return 0
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_html, out_csv = STATE / f"inloggegevens-{stamp}.html", STATE / f"inloggegevens-{stamp}.csv"
    for path, text in ((out_html, cards_html(rows, args.adres)), (out_csv, None)):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            if text is not None:
                fh.write(text)
            else:
                writer = csv.writer(fh, delimiter=";")
                writer.writerow(["naam", "rol", "wachtwoord", "adres"])
                writer.writerows([(n, r, p, args.adres) for n, r, p in rows])
    print(f"{len(rows)} account(s) gemaakt of vernieuwd: {', '.join(n for n, _, _ in rows)}")
    print(f"Kaartjes om te printen: {out_html}\nAls tabel: {out_csv}")
    print("Alleen root kan ze lezen. Verwijder ze na het printen (de hub gebruikt alleen gebruikers.txt).")
    return 0


def listing(_args) -> int:
    for name, (role, _h) in read_users().items():
        try:
            home = pwd.getpwnam(name).pw_dir
            mode = oct(os.stat(home).st_mode & 0o777)[2:]
        except (KeyError, FileNotFoundError):
            home, mode = "(geen systeemgebruiker)", "-"
        print(f"{name:20} {role:11} {home} {mode}")
    return 0


def remove(args) -> int:
    users = read_users()
    if not users:
        print(f"Geen accounts in {USERS_FILE}.")
        return 0
    made = created()
    ours = [n for n in users if n in made]
    kept = [n for n in users if n not in made]
    if not args.ja:
        print("Dit verwijdert deze systeemgebruikers MET hun thuismap (userdel -r): " + (", ".join(ours) or "geen"))
        if kept:
            print("Deze bestonden al vóór workshop_users.py en blijven (alleen uit de lijst van de hub): "
                  + ", ".join(kept))
        print("Verzamel en archiveer eerst (docs/workshop.md, stap 7). Herhaal met --ja om het te doen.")
        return 1
    failed = []
    for name in ours:
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        done = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True)
        noise = [line for line in done.stderr.splitlines() if "mail spool" not in line]  # no mail spool: fine
        if noise:
            print("\n".join(noise), file=sys.stderr)
        if done.returncode not in (0, 12):  # 12: the home folder was already gone
            failed.append(name)
    keep = {n: v for n, v in users.items() if n in failed}
    if keep:
        write_users(keep)
        print("Niet gelukt (draait hun server nog? stop eerst de hub): " + ", ".join(failed), file=sys.stderr)
        return 1
    USERS_FILE.unlink()
    CREATED_FILE.unlink(missing_ok=True)
    for leftover in STATE.glob("inloggegevens-*"):
        leftover.unlink()
    print(f"{len(ours)} account(s) verwijderd, met hun thuismap; {USERS_FILE} en de kaartjes ook.")
    if kept:
        print("Bestonden al en zijn gebleven (alleen uit de lijst van de hub gehaald): " + ", ".join(kept))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("maak", help="accounts maken (systeemgebruiker + wachtwoord) en kaartjes om te printen")
    p.add_argument("--aantal", type=int, default=20, help="aantal deelnemers (standaard 20)")
    p.add_argument("--voorvoegsel", default="school", help="namen: VOORVOEGSEL01, 02, ... (standaard school)")
    p.add_argument("--namen", help="of zelf gekozen namen, met komma's: tafel1,tafel2")
    p.add_argument("--begeleider", default="begeleider", help="naam van de begeleider (beheerder); '' = geen")
    p.add_argument("--adres", default="http://<server>:8000", help="het adres van de hub, voor op de kaartjes")
    p.add_argument("--nieuw-wachtwoord", action="store_true", help="bestaande namen een nieuw wachtwoord geven")
    p.set_defaults(run=make)
    p = sub.add_parser("lijst", help="de accounts, met thuismap en rechten")
    p.set_defaults(run=listing)
    p = sub.add_parser("verwijder", help="alle accounts en hun thuismappen verwijderen (na het archiveren)")
    p.add_argument("--ja", action="store_true", help="echt doen")
    p.set_defaults(run=remove)
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("Draai dit als root (sudo): het maakt of verwijdert systeemgebruikers.", file=sys.stderr)
        return 2
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
