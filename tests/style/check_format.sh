#!/usr/bin/env bash
# check_format.sh - guards the formatting of our C: every *.c and *.h under src/,
# include/, tests/unit/, tools/ and bench/ must be exactly what clang-format makes
# of it with the repository's .clang-format (STYLE.md "Formatting and checks").
# Why: tools enforce the style, not reviewers, so diffs carry meaning and not
# whitespace. Fix a failure with `make format` (or clang-format -i FILE).
#
# Usage: bash tests/style/check_format.sh REPO_ROOT
# Files checked are those present on disk plus those git tracks (when REPO_ROOT
# is a git work tree and the file still exists). Exits 1 listing offenders.
set -euo pipefail

root=${1:?usage: check_format.sh REPO_ROOT}
cd "$root"

if [[ ! -f .clang-format ]]; then
    echo "check_format: no .clang-format in $root" >&2
    exit 1
fi
clang_format=${CLANG_FORMAT:-clang-format}
if ! command -v "$clang_format" >/dev/null 2>&1; then
    echo "check_format: '$clang_format' not found (install clang-format)" >&2
    exit 1
fi

dirs=(src include tests/unit tools bench)

# Collect present files and tracked files, NUL-separated, deduplicated.
list=$(mktemp)
trap 'rm -f "$list"' EXIT
{
    for d in "${dirs[@]}"; do
        if [[ -d $d ]]; then
            find "$d" -type f \( -name '*.c' -o -name '*.h' \) -print0
        fi
    done
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git ls-files -z -- "${dirs[@]/%//*.c}" "${dirs[@]/%//*.h}" 2>/dev/null || true
    fi
} | sort -zu >"$list"

checked=0
bad=()
while IFS= read -r -d '' f; do
    [[ -f $f ]] || continue # tracked but deleted in the work tree
    f=${f#./}
    checked=$((checked + 1))
    if ! "$clang_format" --style=file --dry-run --Werror "$f" >/dev/null 2>&1; then
        bad+=("$f")
    fi
done <"$list"

if ((${#bad[@]} > 0)); then
    echo "check_format: ${#bad[@]} of $checked file(s) are not clang-formatted:"
    printf '  %s\n' "${bad[@]}"
    echo "fix with: clang-format -i FILE (or make format)"
    exit 1
fi
echo "check_format: $checked file(s) formatted"
