#!/bin/sh
# Nightly backup of Soạn Kế hoạch with the app's own commands (docs/deploy.md, "Sao lưu").
#
#   deploy/backup.sh [BACKUP_DIR] [KEEP_DAYS]     (defaults: /var/backups/soan-ke-hoach, 30)
#
# PLANNER_DB (from /etc/soan-ke-hoach/env under systemd) says what to back up:
# - a SQLite file: `python -m planner db backup` (SQLite's online backup: consistent while the
#   app runs) to BACKUP_DIR/YYYY-MM-DD.db;
# - a postgresql:// URL: `pg_dump --format=custom` to BACKUP_DIR/YYYY-MM-DD.pgdump (the whole
#   database, by PostgreSQL's own tool) and `python -m planner db copy` to BACKUP_DIR/YYYY-MM-DD.db
#   (everything but the open sign-in sessions, in a SQLite file any copy of the app opens): two
#   copies by two tools.
# Each .db is checked with `python -m planner db check` before it is moved into BACKUP_DIR; a
# failed run leaves nothing there and exits non-zero (systemd then marks the unit failed).
# Backups older than KEEP_DAYS days are deleted.
set -eu

cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
BACKUP_DIR=${1:-/var/backups/soan-ke-hoach}
KEEP_DAYS=${2:-30}
: "${PLANNER_DB:?PLANNER_DB is not set (see /etc/soan-ke-hoach/env)}"

day=$(date +%F)
mkdir -p "$BACKUP_DIR"
# Written in a work folder first (with whatever side files SQLite leaves), moved when checked.
work=$(mktemp -d "$BACKUP_DIR/.dang-ghi.XXXXXX")
trap 'rm -rf "$work"' EXIT
db_part="$work/$day.db"

case "$PLANNER_DB" in
postgresql://* | postgres://*)
    dump_part="$work/$day.pgdump"
    pg_dump --format=custom --no-owner --file "$dump_part" "$PLANNER_DB"
    "$PYTHON" -m planner db copy "$PLANNER_DB" "$db_part" >/dev/null
    ;;
*)
    "$PYTHON" -m planner db backup --db "$PLANNER_DB" -o "$db_part" >/dev/null
    ;;
esac

"$PYTHON" -m planner db check --db "$db_part" >/dev/null
mv -f "$db_part" "$BACKUP_DIR/$day.db"
if [ -n "${dump_part:-}" ]; then
    mv -f "$dump_part" "$BACKUP_DIR/$day.pgdump"
fi

find "$BACKUP_DIR" -maxdepth 1 -type f \( -name '*.db' -o -name '*.pgdump' \) \
    -mtime "+$KEEP_DAYS" -delete
echo "Đã sao lưu vào $BACKUP_DIR/$day.db${dump_part:+ và $BACKUP_DIR/$day.pgdump}."
