#!/usr/bin/env bash
# Hostile-input pass over the scalefit CLI (the contract in README "Command-line reference"):
# bad input exits 2 with exactly one stderr line `error: ...`, never a signal, a hang (> 20 s) or a
# change to the database. Builds a small good database once (a tiny sweep, imported points and
# curves, fits of every law), then runs each case against a fresh copy of it.
#
#   Scripts/qa-hostile.sh [BINARY] [WORKDIR]     (default .build/debug/scalefit, a new temp dir)
#
# `bad` cases must exit 2; `any` cases may also succeed (exit 0) but must not crash, hang, print a
# non-finite result or lose a row. Flagged cases go to WORKDIR/flags.txt; the exit status is their count.
set -u
BIN=$(realpath "${1:-.build/debug/scalefit}")
W=${2:-$(mktemp -d /tmp/qa-hostile.XXXXXX)}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$W"
cd "$W" || exit 1
GOOD=$W/good.db
DB=$W/t.db
FLAGS=$W/flags.txt
: >"$FLAGS"
export SWIFT_BACKTRACE=enable=no
n=0

say() { printf '%s\n' "$*" >&2; }
j() { "$BIN" "$@" --db "$GOOD" --json 2>/dev/null | tail -1; }
field() { sed -n "s/.*\"$1\" *: *\([0-9]*\).*/\1/p"; }

# ---- the good database ------------------------------------------------------------------------
awk 'BEGIN{print "N,D,loss,downstream_error"; for(i=5;i<=7;i++)for(k=6;k<=8;k++){n=10^i;d=10^k;l=1.7+400/n^0.34+400/d^0.28; printf "%g,%g,%.6f,%.6f\n",n,d,l,0.75-0.1*exp(-l)}}' >points.csv
awk 'BEGIN{print "step,lr,loss"; s=0; for(i=0;i<600;i++){e=(i<20)?1e-3*(i+1)/20:1e-3; s+=e; if(i%5==0) printf "%d,%g,%.8f\n",i+1,e,2+0.6*s^-0.5}}' >curve.csv
awk 'BEGIN{print "step,lr,loss"; s=0;m=0;p=1e-3; for(i=0;i<600;i++){e=(i<300)?1e-3:1e-3*(600-i)/300; s+=e; m=0.99*m+(p-e); p=e; if(i%5==0) printf "%d,%g,%.8f\n",i+1,e,2+0.6*s^-0.5-30*m}}' >curve2.csv
if [ ! -s "$GOOD" ]; then
    say "building $GOOD"
    cat >tiny.toml <<'EOF'
name = "qa"
corpus = "quanta:phrases=64,exponent=1.2"
seq_len = 16
batch = 2
evals = 2
eval_windows = 4
downstream_items = 4
head_dim = 16
[models]
shapes = ["1x16", "1x32"]
[budgets]
tokens = [2e3, 4e3, 8e3]
[optim]
lr = [3e-3]
schedules = ["cosine"]
EOF
    cat >wsd.toml <<'EOF'
name = "qa-wsd"
corpus = "synthetic"
seq_len = 16
batch = 2
evals = 2
eval_windows = 4
downstream_items = 0
head_dim = 16
[models]
shapes = ["1x16"]
[budgets]
tokens = [2e3, 4e3]
[optim]
lr = [3e-3]
schedules = ["wsd:warmup=5,decay=0.2"]
[wsd]
branching = true
EOF
    "$BIN" sweep --spec tiny.toml --db "$GOOD" --jobs 2 >/dev/null || exit 1
    "$BIN" sweep --spec wsd.toml --db "$GOOD" --jobs 2 >/dev/null || exit 1
    "$BIN" import points.csv --source good --db "$GOOD" >/dev/null || exit 1
    "$BIN" import curve.csv --curve --source curve --db "$GOOD" >/dev/null || exit 1
    "$BIN" fit --law chinchilla --source good --starts 20 --bootstrap 20 --db "$GOOD" >/dev/null || exit 1
    "$BIN" fit --law chinchilla --starts 20 --bootstrap 0 --db "$GOOD" >/dev/null || say "note: chinchilla on runs failed"
    "$BIN" fit --law downstream --source good --bootstrap 20 --db "$GOOD" >/dev/null || say "note: downstream failed"
    "$BIN" fit --law overtrain --source good --bootstrap 0 --db "$GOOD" >/dev/null || say "note: overtrain failed"
    "$BIN" fit --law annealing --curve curve.csv --curve curve2.csv --bootstrap 20 --db "$GOOD" >/dev/null || say "note: annealing failed"
    "$BIN" fit --law multipower --curve curve.csv --curve curve2.csv --bootstrap 0 --db "$GOOD" >/dev/null || say "note: multipower failed"
    sqlite3 "$GOOD" "pragma wal_checkpoint(TRUNCATE)" >/dev/null
fi
fitid() { sqlite3 "$GOOD" "select max(id) from fits where law='$1'"; }
CH=$(fitid chinchilla); AN=$(fitid annealing); MP=$(fitid multipower); DS=$(fitid downstream); OT=$(fitid overtrain)
CH=${CH:-1}; AN=${AN:-1}; MP=${MP:-$AN}; DS=${DS:-1}; OT=${OT:-1}
RUN=$(sqlite3 "$GOOD" "select min(id) from runs where status='finished' and schedule not like 'external%'")
EXT=$(sqlite3 "$GOOD" "select min(id) from runs where schedule like 'external%'")
say "fits: chinchilla $CH annealing $AN multipower $MP downstream $DS overtrain $OT; run $RUN, external run $EXT"
dump() { sqlite3 "$1" .dump 2>/dev/null | grep -v '^INSERT INTO run_leases'; }
GOODDUMP=$W/good.dump
dump "$GOOD" >"$GOODDUMP"

# ---- files -----------------------------------------------------------------------------------
mkdir -p adir
printf '' >empty.csv
printf 'step,lr,loss\n' >header.csv
printf '\xef\xbb\xbfstep,lr,loss\r\n1,0.001,3\r\n2,0.001,2.9\r\n3,0.001,2.8\r\n' >bomcrlf.csv
head -c 5000 /dev/urandom >garbage.bin
printf 'step,lr,loss\n1,0.001,3\n\0\0\0\n' >nul.csv
printf 'step,lr,loss\n1,0.001,\xff\xfe\n' >badutf.csv
printf 'step,lr,loss\n"1","0.001","3"\n"2","0.001","2.9"\n"3,4","0.001","2.8"\n' >quoted.csv
printf 'step,lr,loss\n"1,0.001,3\n' >unterminated.csv
printf 'step,lr,loss\n3,0.001,3\n2,0.001,2.9\n1,0.001,2.8\n' >unsorted.csv
printf 'step,lr,loss\n1,0.001,3\n1,0.001,2.9\n2,0.001,2.8\n' >dupstep.csv
printf 'step,lr,loss\n-2,0.001,3\n-1,0.001,2.9\n0,0.001,2.8\n' >negstep.csv
printf 'step,lr,loss\n1,0.001,nan\n2,0.001,2.9\n3,0.001,2.8\n' >nanloss.csv
printf 'step,lr,loss\n1,0.001,-3\n2,0.001,-2.9\n3,0.001,-2.8\n' >negloss.csv
printf 'step,lr,loss\n1,0,3\n2,0,2.9\n3,0,2.8\n' >zerolr.csv
printf 'step,lr,loss\n1,-0.001,3\n2,-0.001,2.9\n3,-0.001,2.8\n' >neglr.csv
printf 'step,lr,loss\n1.5,0.001,3\n2.5,0.001,2.9\n' >fracstep.csv
printf 'step,lr,loss\n1,0.001,3\n100000000000,0.001,2.9\n' >hugestep.csv
printf 'step,lr,loss\n1,1e308,3\n2,1e308,2.9\n3,1e308,2.8\n' >hugelr.csv
printf 'step,lr,loss\n1,1e-320,3\n2,1e-320,2.9\n3,1e-320,2.8\n' >denormlr.csv
printf 'step,lr,loss\n1,0.001,1e-320\n2,0.001,1e-320\n3,0.001,1e-320\n' >denormloss.csv
printf 'step,lr,loss\n1,0.001,1e300\n2,0.001,1e299\n3,0.001,1e298\n' >hugeloss.csv
printf 'step,lr,loss\n1,0.001,3,4\n' >extra.csv
printf 'step,step,lr,loss\n1,1,0.001,3\n' >twice.csv
printf 'step;lr;loss\n1;0.001;3\n' >semicolon.csv
printf '{"step": 1, "lr": 0.001, "loss": 3}\n{"step": 2, "lr": 0.001, "loss": "x"}\n' >bad.jsonl
printf '{"step": 1e400, "lr": 0.001, "loss": 3}\n' >big.jsonl
printf '[{"step": 1, "lr": 0.001, "loss": 3}' >trunc.json
printf '%s' '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[' >deep.json
python3 -c "print('['*100000)" >deeper.json 2>/dev/null || awk 'BEGIN{for(i=0;i<100000;i++)printf "[";print ""}' >deeper.json
awk 'BEGIN{print "step,lr,loss"; for(i=1;i<=2000000;i++) printf "%d,0.001,%.6f\n",i,2+1/sqrt(i)}' >big.csv
awk 'BEGIN{printf "step,lr,loss\n1,0.001,"; for(i=0;i<10000000;i++) printf "9"; print ""}' >longcell.csv
awk 'BEGIN{print "step,lr"; for(i=0;i<100;i++) printf "%d,0.001\n",i}' >short-lr.csv
awk 'BEGIN{print "step,lr"; for(i=0;i<700;i++) printf "%d,0.001\n",i}' >lr.csv
awk 'BEGIN{print "step,lr"; for(i=0;i<700;i++) printf "%d,0\n",i}' >lr-zero.csv
awk 'BEGIN{print "step,lr"; for(i=0;i<700;i++) printf "%d,-0.001\n",i}' >lr-neg.csv
awk 'BEGIN{print "step,lr"; for(i=0;i<700;i++) printf "%d,1e308\n",i}' >lr-huge.csv
awk 'BEGIN{print "step,lr"; print "0,0.001"; print "99999999,0.001"}' >lr-far.csv
awk 'BEGIN{print "step,lr"; for(i=700;i>0;i--) printf "%d,0.001\n",i}' >lr-desc.csv
awk 'BEGIN{print "step,loss"; s=0; for(i=0;i<600;i++){s+=1e-3; if(i%5==0) printf "%d,%.8f\n",i+1,2+0.6*s^-0.5}}' >nolr.csv
cp curve.csv curve-copy.csv
printf 'N,D,loss\n1e6,1e7,3\n' >onepoint.csv
printf 'N,D,loss\n1e6,1e7,nan\n' >nanpoint.csv
printf 'N,D,loss\n1e6,1e7,3\n1e6,1e7,3\n' >dup-points.csv
printf 'N,D,loss\n1e400,1e7,3\n' >infpoint.csv
printf 'N,D,loss\n1e-320,1e7,3\n' >denormpoint.csv
printf 'N,D,loss\n1e6,1e7,3\n' >"new
line.csv"
mkfifo fifo 2>/dev/null
printf 'not sqlite at all\n' >text.db
printf '' >empty.db
sqlite3 other.db "create table runs(x); insert into runs values(1);"
cp "$GOOD" newer.db; sqlite3 newer.db "insert into schema_migrations(version,name,applied_at) values(999,'future','2099'); pragma user_version=999;"
cp "$GOOD" ro.db; chmod 444 ro.db
mkdir -p rodir; cp "$GOOD" rodir/r.db; chmod 555 rodir
head -c 100 "$GOOD" >truncated.db
cp "$GOOD" corrupt.db; printf 'garbage garbage garbage' | dd of=corrupt.db bs=1 seek=5000 conv=notrunc 2>/dev/null

spec() {  # spec NAME KEY=... lines appended/replacing: spec file with extra text
    local f=$W/spec-$1.toml; shift
    printf '%s\n' "$@" >"$f"; printf '%s' "$f"
}
TINYHEAD='name = "h"
seq_len = 16
batch = 2
evals = 2
eval_windows = 4
head_dim = 16
downstream_items = 0'

# ---- the checks ------------------------------------------------------------------------------
run_case() {  # run_case MODE NAME ARGS...
    local mode=$1 name=$2; shift 2
    n=$((n + 1))
    rm -f "$DB" "$DB-wal" "$DB-shm"; rm -rf "$DB.checkpoints"
    cp "$GOOD" "$DB"
    local start=$SECONDS
    timeout -s KILL 20 "$BIN" "$@" >out.txt 2>err.txt </dev/null
    local rc=$? took=$((SECONDS - start))
    local lines problems=""
    lines=$(wc -l <err.txt)
    local nonl; nonl=$(tail -c1 err.txt | od -An -c | tr -d ' ')
    [ -s err.txt ] && [ "$nonl" != '\n' ] && lines=$((lines + 1))
    if [ $rc -eq 137 ]; then problems+="killed after 20 s (hang or too slow); "; fi
    if [ $rc -gt 128 ] && [ $rc -ne 137 ]; then problems+="signal $((rc - 128)); "; fi
    if [ "$mode" = bad ] && [ $rc -ne 2 ]; then problems+="exit $rc (expected 2); "; fi
    if [ "$mode" = any ] && [ $rc -ne 0 ] && [ $rc -ne 2 ]; then problems+="exit $rc; "; fi
    if [ $rc -eq 2 ]; then
        if [ "$lines" -ne 1 ] || ! head -1 err.txt | grep -q '^error: '; then problems+="stderr has $lines lines; "; fi
    fi
    if [ $rc -eq 0 ] && grep -qiE '(^|[^a-z])(nan|inf|infinity)([^a-z]|$)' out.txt; then problems+="non-finite value in output; "; fi
    if [ -f "$DB" ]; then
        dump "$DB" >after.dump
        if [ $rc -ne 0 ]; then
            cmp -s "$GOODDUMP" after.dump || problems+="database changed on error; "
        else
            [ -z "$(comm -23 <(sort "$GOODDUMP") <(sort after.dump) | head -1)" ] || problems+="rows lost or changed; "
        fi
    fi
    printf '%s\t%s\t%s\n' "$rc" "$name" "$(head -c 300 err.txt | tr '\n' '|')" >>"$W/all.txt"
    if [ -n "$problems" ]; then
        printf '[%s] %s\n    args: %s\n    stderr: %s\n    stdout: %s\n' "$name" "$problems" \
            "$(printf '%q ' "$@" | cut -c1-400)" "$(head -c 400 err.txt | tr '\n' '|')" "$(head -c 200 out.txt | tr '\n' '|')" >>"$FLAGS"
    fi
    return 0
}
bad() { run_case bad "$@"; }
any() { run_case any "$@"; }

# ---- numbers -----------------------------------------------------------------------------------
NUMS=(0 -1 -0 1e309 -1e309 nan NaN inf -inf 9223372036854775808 18446744073709551616 -9223372036854775809 1e-320 4.9e-324
      0x10 1_000 "1,000" "" " " " 1" "1e" "+" "1.2.3" $'1\n2' "١٢" "$(printf '9%.0s' {1..5000})")
for v in "${NUMS[@]}"; do
    any "predict --N '$v'" predict --fit "$CH" --N "$v" --D 1e10 --db "$DB"
    any "predict --D '$v'" predict --fit "$CH" --N 1e9 --D "$v" --db "$DB"
    bad "predict --N '$v' twice" predict --fit "$CH" --N "$v" --D 1e10 --N 1e9 --db "$DB"
    any "predict --compute '$v'" predict --fit "$CH" --compute "$v" --db "$DB"
    any "predict --M '$v'" predict --fit "$CH" --N 1e9 --M "$v" --db "$DB"
    any "predict --loss '$v'" predict --fit "$DS" --loss "$v" --db "$DB"
    any "predict --steps '$v'" predict --fit "$AN" --schedule cosine --steps "$v" --db "$DB"
    any "predict --lr '$v'" predict --fit "$AN" --schedule cosine --steps 100 --lr "$v" --db "$DB"
    any "predict --like-run --steps '$v'" predict --fit "$AN" --like-run "$RUN" --steps "$v" --db "$DB"
    bad "predict --fit '$v'" predict --fit "$v" --N 1e9 --D 1e10 --db "$DB"
    bad "predict --like-run '$v'" predict --fit "$AN" --like-run "$v" --db "$DB"
    any "fit --huber-delta '$v'" fit --law chinchilla --source good --starts 5 --bootstrap 0 --huber-delta "$v" --no-store --db "$DB"
    bad "fit --check-run '$v'" fit --law annealing --curve curve.csv --bootstrap 0 --check-run "$v" --no-store --db "$DB"
    bad "fit --run '$v'" fit --law annealing --run "$v" --bootstrap 0 --no-store --db "$DB"
    any "fit --from-step '$v'" fit --law annealing --curve curve.csv --bootstrap 0 --from-step "$v" --no-store --db "$DB"
    bad "train --lr '$v'" train --lr "$v" --n-layer 1 --d-model 16 --n-head 1 --seq-len 8 --batch 1 --steps 0 --db "$DB"
    bad "analyze --run '$v'" analyze --run "$v" --db "$DB"
    any "query --timeout '$v'" query "select 1" --timeout "$v" --db "$DB"
done

# ---- --law lists, --law-option, --objective ---------------------------------------------------
for v in "annealing,annealing" "annealing," ",annealing" "annealing,,multipower" "annealing,chinchilla" "chinchilla,isoflop" \
         "chinchilla,chinchilla" "ANNEALING" " annealing" "annealing ,multipower" "annealing,multipower,annealing" $'annealing\nmultipower' \
         $'anneal\x1bing' "" "," ",," "💥" $'\xff\xfe' "$(printf 'a%.0s' {1..100000})" "annealing;multipower" "annealing multipower" \
         "multipower,annealing,multipower"; do
    bad "fit --law '$v'" fit --law "$v" --curve curve.csv --bootstrap 0 --no-store --db "$DB"
done
for v in "" "=" "x" "x=" "=1" "lambda=1" "lambda=0.99" "a=b=c" $'x\ny=1' "foo=1" "$(printf 'k%.0s' {1..100000})=1" "💥=1" \
         "x=1 y=2" "-=1" "_=1"; do
    bad "fit --law-option '$v' annealing" fit --law annealing --curve curve.csv --bootstrap 0 --law-option "$v" --no-store --db "$DB"
    bad "fit --law-option '$v' chinchilla" fit --law chinchilla --source good --bootstrap 0 --law-option "$v" --no-store --db "$DB"
    bad "fit --law-option '$v' list" fit --law annealing,multipower --curve curve.csv --bootstrap 0 --law-option "$v" --no-store --db "$DB"
done
for v in "" bogus HUBER "lsq " huber2 $'lsq\n'; do
    bad "fit --objective '$v'" fit --law annealing --curve curve.csv --bootstrap 0 --objective "$v" --no-store --db "$DB"
done
bad "objective on chinchilla" fit --law chinchilla --source good --objective lsq --no-store --db "$DB"
bad "objective on downstream" fit --law downstream --source good --objective lsq --no-store --db "$DB"
bad "huber-delta on downstream" fit --law downstream --source good --huber-delta 0.1 --no-store --db "$DB"
any "huber-delta 1e300 chinchilla" fit --law chinchilla --source good --starts 5 --bootstrap 0 --huber-delta 1e300 --db "$DB"
any "huber-delta 1e-300 annealing" fit --law annealing --curve curve.csv --bootstrap 0 --huber-delta 1e-300 --no-store --db "$DB"

# ---- --holdout -----------------------------------------------------------------------------------
for v in size tokens "" bogus SIZE "size,tokens"; do
    any "holdout $v runs" fit --law chinchilla --holdout "$v" --starts 5 --bootstrap 0 --no-store --db "$DB"
    any "holdout $v source" fit --law chinchilla --source good --holdout "$v" --starts 5 --bootstrap 0 --no-store --db "$DB"
    bad "holdout $v annealing" fit --law annealing --curve curve.csv --holdout "$v" --bootstrap 0 --no-store --db "$DB"
    bad "holdout $v downstream" fit --law downstream --source good --holdout "$v" --bootstrap 0 --no-store --db "$DB"
done
for w in "n < 1e6" "n < 2e6" "d < 2e6" "d > 5e7" "n > 5e6" "n < 2e5 and d < 2e6" "n = 1e5 or d = 1e6"; do
    any "holdout size where '$w'" fit --law chinchilla --source good --where "$w" --holdout size --starts 5 --bootstrap 0 --no-store --db "$DB"
    any "holdout tokens where '$w'" fit --law chinchilla --source good --where "$w" --holdout tokens --starts 5 --bootstrap 0 --no-store --db "$DB"
    any "overtrain holdout where '$w'" fit --law overtrain --source good --where "$w" --holdout size --bootstrap 0 --no-store --db "$DB"
done
any "holdout size on one sweep size" fit --law chinchilla --where "d_model = 16" --holdout size --starts 5 --bootstrap 0 --no-store --db "$DB"
any "holdout tokens on one budget" fit --law chinchilla --where "tokens_budget = 2000" --holdout tokens --starts 5 --bootstrap 0 --no-store --db "$DB"
any "holdout tokens two budgets" fit --law chinchilla --where "tokens_budget < 5000" --holdout tokens --starts 5 --bootstrap 0 --no-store --db "$DB"
any "holdout size isoflop" fit --law isoflop --holdout size --bootstrap 0 --no-store --db "$DB"

# ---- curve files for fit --curve, --check-curve, import --curve --------------------------------
CURVEFILES=(missing.csv adir /dev/zero /dev/null /dev/urandom fifo garbage.bin empty.csv header.csv bomcrlf.csv nul.csv badutf.csv
            quoted.csv unterminated.csv unsorted.csv dupstep.csv negstep.csv nanloss.csv negloss.csv zerolr.csv neglr.csv fracstep.csv
            hugestep.csv hugelr.csv denormlr.csv denormloss.csv hugeloss.csv extra.csv twice.csv semicolon.csv bad.jsonl big.jsonl
            trunc.json deep.json deeper.json longcell.csv nolr.csv "new
line.csv" text.db "$GOOD")
for f in "${CURVEFILES[@]}"; do
    any "fit --curve $f" fit --law annealing --curve "$f" --bootstrap 0 --no-store --db "$DB"
    any "fit multipower --curve $f" fit --law multipower --curve "$f" --bootstrap 0 --no-store --db "$DB"
    any "fit --check-curve $f" fit --law annealing --curve curve.csv --check-curve "$f" --bootstrap 0 --no-store --db "$DB"
    any "fit list --check-curve $f" fit --law annealing,multipower --curve curve.csv --check-curve "$f" --bootstrap 0 --no-store --db "$DB"
    any "import --curve $f" import "$f" --curve --source x --db "$DB"
    any "import points $f" import "$f" --source x --db "$DB"
    any "predict --lr-file $f" predict --fit "$AN" --lr-file "$f" --db "$DB"
    any "train --corpus $f" train --corpus "$f" --n-layer 1 --d-model 16 --n-head 1 --seq-len 8 --batch 1 --steps 2 --eval-windows 1 --downstream-items 0 --db "$DB"
    any "sweep --spec $f" sweep --spec "$f" --plan --db "$DB"
done
any "fit --curve big (2M rows)" fit --law annealing --curve big.csv --bootstrap 0 --no-store --db "$DB"
any "import --curve big (2M rows)" import big.csv --curve --source big --db "$DB"
any "fit --curve twice same file" fit --law annealing --curve curve.csv --curve curve.csv --bootstrap 0 --no-store --db "$DB"
any "fit --curve and --check-curve same file" fit --law annealing --curve curve.csv --check-curve curve.csv --bootstrap 0 --no-store --db "$DB"
any "fit --curve and copy" fit --law annealing --curve curve.csv --curve curve-copy.csv --bootstrap 0 --no-store --db "$DB"
any "fit --curve with --run" fit --law annealing --curve curve.csv --run "$EXT" --bootstrap 0 --no-store --db "$DB"
any "fit --run ext and check-run same" fit --law annealing --run "$EXT" --check-run "$EXT" --bootstrap 0 --no-store --db "$DB"
for c in step lr loss "" nope $'lo\nss'; do
    any "fit --step-col '$c'" fit --law annealing --curve curve.csv --step-col "$c" --bootstrap 0 --no-store --db "$DB"
    any "fit --lr-col '$c'" fit --law annealing --curve curve.csv --lr-col "$c" --bootstrap 0 --no-store --db "$DB"
    any "fit --loss-col '$c'" fit --law annealing --curve curve.csv --loss-col "$c" --bootstrap 0 --no-store --db "$DB"
    any "import --loss-col '$c'" import curve.csv --curve --loss-col "$c" --db "$DB"
done

# ---- --curve-lr -----------------------------------------------------------------------------------
for v in "nolr.csv=lr.csv" "nolr.csv=short-lr.csv" "nolr.csv=lr-zero.csv" "nolr.csv=lr-neg.csv" "nolr.csv=lr-huge.csv" \
         "nolr.csv=lr-far.csv" "nolr.csv=lr-desc.csv" "nolr.csv=missing.csv" "nolr.csv=adir" "nolr.csv=/dev/zero" "nolr.csv=fifo" \
         "nolr.csv=garbage.bin" "nolr.csv=empty.csv" "nolr.csv=" "=lr.csv" "=" "nolr.csv" "curve.csv=lr.csv" "other.csv=lr.csv" \
         "nolr.csv=lr.csv=x" "nolr.csv=nolr.csv" "nolr.csv=curve.csv" $'nolr.csv=lr\n.csv'; do
    any "fit --curve-lr '$v'" fit --law annealing --curve nolr.csv --curve-lr "$v" --bootstrap 0 --no-store --db "$DB"
done
any "curve-lr twice" fit --law annealing --curve nolr.csv --curve-lr nolr.csv=lr.csv --curve-lr nolr.csv=lr.csv --bootstrap 0 --no-store --db "$DB"
any "curve-lr without curve" fit --law annealing --run "$EXT" --curve-lr nolr.csv=lr.csv --bootstrap 0 --no-store --db "$DB"
any "curve-lr check-curve" fit --law annealing --curve curve.csv --check-curve nolr.csv --curve-lr nolr.csv=lr.csv --bootstrap 0 --no-store --db "$DB"
bad "curve-lr on chinchilla" fit --law chinchilla --source good --curve-lr nolr.csv=lr.csv --no-store --db "$DB"

# ---- --check-run ----------------------------------------------------------------------------------
for v in 0 -1 999999 9223372036854775807 "$RUN" "$EXT" abc; do
    any "fit --check-run $v" fit --law annealing --curve curve.csv --check-run "$v" --bootstrap 0 --no-store --db "$DB"
    any "fit --run $v" fit --law annealing --run "$v" --bootstrap 0 --no-store --db "$DB"
done
PENDING=$(sqlite3 "$GOOD" "select id from runs where status != 'finished' limit 1")
[ -n "$PENDING" ] && any "fit --run unfinished" fit --law annealing --run "$PENDING" --bootstrap 0 --no-store --db "$DB"

# ---- predict --like-run / --lr-file / --schedule / --compute ------------------------------------
for id in "$AN" "$MP"; do
    for v in 0 -1 999999 "$EXT" "$RUN"; do any "predict fit $id --like-run $v" predict --fit "$id" --like-run "$v" --db "$DB"; done
    for s in 1 2 3 100000000 99999999 10000000000 50000000; do
        any "predict fit $id --like-run --steps $s" predict --fit "$id" --like-run "$RUN" --steps "$s" --format csv --db "$DB"
        any "predict fit $id --schedule --steps $s" predict --fit "$id" --schedule cosine --steps "$s" --db "$DB"
    done
    for sch in "" ":" "cosine:" "cosine:=" "cosine:warmup" "cosine:warmup=" "cosine:warmup=1,warmup=2" "cosine:warmup=200" \
               "cosine:warmup=-1" "cosine:floor=-1" "cosine:floor=2" "cosine:floor=nan" "wsd:decay=0" "wsd:decay=1" "wsd:decay=1.5" \
               "wsd:decay=1e-320" "wsd:shape=bogus" "wsd:decay=0.2,shape=" "constant:decay=0.2" "linear:warmup=100" "bogus" "COSINE" \
               "cosine:steps=100" "cosine:steps=0" "cosine:steps=-1" "cosine:steps=1e9" "cosine:lr=1" $'cosine\n' $'cosine:warmup=1\nx' \
               "cosine:warmup=0x10" "cosine:warmup=1_0" "cosine:warmup=1e300" "wsd:decay=0.2,decay=0.3" "cosine;wsd" "cosine,wsd"; do
        any "predict fit $id --schedule '$sch'" predict --fit "$id" --schedule "$sch" --steps 100 --db "$DB"
    done
    bad "predict fit $id --schedule --like-run" predict --fit "$id" --schedule cosine --steps 10 --like-run "$RUN" --db "$DB"
    bad "predict fit $id --lr-file --like-run" predict --fit "$id" --lr-file lr.csv --like-run "$RUN" --db "$DB"
    bad "predict fit $id --lr-file --lr" predict --fit "$id" --lr-file lr.csv --lr 0.1 --db "$DB"
    bad "predict fit $id --like-run --lr" predict --fit "$id" --like-run "$RUN" --lr 0.1 --db "$DB"
    bad "predict fit $id --compute" predict --fit "$id" --compute 1e20 --db "$DB"
    bad "predict fit $id --N --D" predict --fit "$id" --N 1e9 --D 1e10 --db "$DB"
    any "predict fit $id --lr-file --steps 5" predict --fit "$id" --lr-file lr.csv --steps 5 --db "$DB"
    any "predict fit $id --lr-file --steps 100000" predict --fit "$id" --lr-file lr.csv --steps 100000 --db "$DB"
    for f in short-lr.csv lr-zero.csv lr-neg.csv lr-huge.csv lr-far.csv lr-desc.csv curve.csv; do
        any "predict fit $id --lr-file $f" predict --fit "$id" --lr-file "$f" --db "$DB"
    done
done
for id in "$CH" "$DS" "$OT"; do
    bad "predict fit $id --like-run" predict --fit "$id" --like-run "$RUN" --db "$DB"
    bad "predict fit $id --schedule" predict --fit "$id" --schedule cosine --steps 10 --db "$DB"
    bad "predict fit $id --lr-file" predict --fit "$id" --lr-file lr.csv --db "$DB"
done
for c in 1 1e-300 1e300 1.7976931348623157e308 6 1e25 1e40; do
    any "predict --compute $c" predict --fit "$CH" --compute "$c" --db "$DB"
    any "predict --compute $c json" predict --fit "$CH" --compute "$c" --json --db "$DB"
done
for v in "1e300 1e300" "1e-300 1e-300" "1 1" "1e308 1" "1 1e308"; do
    set -- $v
    any "predict --N $1 --D $2" predict --fit "$CH" --N "$1" --D "$2" --db "$DB"
    any "predict overtrain --N $1 --M $2" predict --fit "$OT" --N "$1" --M "$2" --db "$DB"
done
for l in 1e-300 1e300 0.0001 100; do any "predict downstream --loss $l" predict --fit "$DS" --loss "$l" --db "$DB"; done

# ---- degenerate stored fits (a hostile database) and the report ----------------------------------
degenerate() {  # degenerate NAME SQL: a copy of the good db with one fit rewritten, then report/predict on it
    local f=$W/deg-$1.db
    cp "$GOOD" "$f"; sqlite3 "$f" "$2" || say "degenerate $1: sql failed"
    printf '%s' "$f"
}
PARAMS_SQL="select params from fits where id=$CH"
for p in '{"E":0,"A":0,"B":0,"alpha":0,"beta":0}' '{"E":-5,"A":1e300,"B":1e300,"alpha":1e-300,"beta":1e-300}' \
         '{"E":1,"A":1,"B":1,"alpha":-1,"beta":-1}' '{"E":1e308,"A":1e308,"B":1e308,"alpha":100,"beta":100}' \
         '{"E":1}' '{}' 'null' 'not json' '{"E":"x","A":1,"B":1,"alpha":0.3,"beta":0.3}' '{"E":1e999,"A":1,"B":1,"alpha":0.3,"beta":0.3}'; do
    f=$(degenerate "ch-$n" "update fits set params='$p' where id=$CH;")
    any "report with chinchilla params $p" report --out "$W/rep-$n" --db "$f"
    any "predict with chinchilla params $p" predict --fit "$CH" --compute 1e20 --db "$f"
    any "predict N D with chinchilla params $p" predict --fit "$CH" --N 1e9 --D 1e10 --db "$f"
done
for o in '{}' 'null' 'not json' '{"theta":[]}' '{"theta":[1,2]}' '{"theta":[0,0,0,0,0]}' '{"theta":[1e308,1e308,1e308,1e308,1e308]}' \
         '{"theta":["x",1,1,1,1]}' '{"theta":[-1,-1,-1,-1,-1]}' '{"theta":[1,1,1,1,1],"bootstrap":[[1],[2]]}'; do
    for id in "$CH" "$AN" "$MP" "$DS"; do
        f=$(degenerate "opt-$n" "update fits set options='$o' where id=$id;")
        any "report with fit $id options $o" report --out "$W/rep-$n" --db "$f"
        any "predict with fit $id options $o" predict --fit "$id" --compute 1e20 --db "$f"
        any "predict sched with fit $id options $o" predict --fit "$id" --schedule cosine --steps 50 --db "$f"
    done
done
f=$(degenerate law "update fits set law='bogus' where id=$CH;")
bad "predict fit of unknown law" predict --fit "$CH" --compute 1e20 --db "$f"
any "report fit of unknown law" report --out "$W/rep-law" --db "$f"
f=$(degenerate runs-nan "update runs set final_val_loss=-1, params_total=0 where id=$RUN;")
any "report runs with zero params" report --out "$W/rep-zero" --db "$f"
any "fit runs with zero params" fit --law chinchilla --starts 5 --bootstrap 0 --no-store --db "$f"
f=$(degenerate steps-neg "update steps set lr=-1 where run_id=$EXT;")
any "fit curve with negative stored lr" fit --law annealing --run "$EXT" --bootstrap 0 --no-store --db "$f"
f=$(degenerate config "update runs set config='not json' where id=$RUN;")
any "predict like-run with broken config" predict --fit "$AN" --like-run "$RUN" --db "$f"
any "report with broken config" report --out "$W/rep-cfg" --db "$f"
f=$(degenerate config2 "update runs set config=json_set(config,'\$.schedule.totalSteps',1e18) where id=$RUN;")
any "predict like-run with huge stored steps" predict --fit "$AN" --like-run "$RUN" --db "$f"
f=$(degenerate config3 "update runs set config=json_set(config,'\$.schedule.warmupSteps',-5) where id=$RUN;")
any "predict like-run with negative stored warmup" predict --fit "$AN" --like-run "$RUN" --db "$f"
any "report good" report --out "$W/rep-good" --db "$DB"
any "report png" report --out "$W/rep-png" --png --db "$DB"
bad "report to file" report --out text.db --db "$DB"
bad "report to /dev/null" report --out /dev/null --db "$DB"

# ---- sweep specs: WSD branching, LR width rule, quanta, grid bombs -------------------------------
sp() { local name=$1; shift; spec "$name" "$TINYHEAD" "$@"; }
SPECS=()
SPECS+=("$(sp br1 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]' '[optim]' 'schedules = ["cosine"]' '[wsd]' 'branching = true')")
SPECS+=("$(sp br2 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3, 4e3]' '[optim]' 'schedules = ["wsd:decay=1"]' '[wsd]' 'branching = true')")
SPECS+=("$(sp br3 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3, 4e3]' '[optim]' 'schedules = ["wsd:decay=0"]' '[wsd]' 'branching = true')")
SPECS+=("$(sp br4 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3, 2e3]' '[optim]' 'schedules = ["wsd"]' '[wsd]' 'branching = true')")
SPECS+=("$(sp br5 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3, 4e3]' '[optim]' 'schedules = ["wsd:decay=0.9,warmup=500"]' '[wsd]' 'branching = true')")
SPECS+=("$(sp br6 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [17, 4e3]' '[optim]' 'schedules = ["wsd:decay=0.2"]' '[wsd]' 'branching = true')")
SPECS+=("$(sp br7 '[models]' 'shapes = ["1x16"]' '[budgets]' 'flops = [1e9, 2e9]' '[optim]' 'schedules = ["wsd"]' '[wsd]' 'branching = true')")
SPECS+=("$(sp br8 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens_per_param = [1, 2]' '[optim]' 'schedules = ["wsd", "wsd:decay=0.2"]' '[wsd]' 'branching = true')")
SPECS+=("$(sp br9 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]' '[wsd]' 'branching = "yes"')")
SPECS+=("$(sp br10 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]' '[wsd]' 'branching = 1')")
SPECS+=("$(sp br11 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]' '[wsd]' 'branching = true' 'other = 1')")
SPECS+=("$(sp br12 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3, 4e3]' '[optim]' 'schedules = ["wsd:decay=0.2,shape=bogus"]' '[wsd]' 'branching = true')")
SPECS+=("$(sp br13 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3, 4e3]' '[optim]' 'schedules = ["wsd:decay=0.2,warmup=1,warmup=2"]' '[wsd]' 'branching = true')")
SPECS+=("$(sp br14 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3, 4e3]' '[optim]' 'schedules = ["wsd:steps=100"]' '[wsd]' 'branching = true')")
for w in "nan" "inf" "-inf" "-1" "0" "1e308" "1e-320" "100" "50" '"1"' "true" "[1]"; do
    SPECS+=("$(sp lrw-$w '[models]' 'shapes = ["1x16", "1x32"]' '[budgets]' 'tokens = [2e3]' '[optim]' "lr_width_exponent = $w")")
    SPECS+=("$(sp lrb-$w '[models]' 'shapes = ["1x16", "1x32"]' '[budgets]' 'tokens = [2e3]' '[optim]' 'lr_width_exponent = 1' "lr_base_width = $w")")
    SPECS+=("$(sp lrbo-$w '[models]' 'shapes = ["1x16", "1x32"]' '[budgets]' 'tokens = [2e3]' '[optim]' "lr_base_width = $w")")
done
SPECS+=("$(sp lrhuge '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]' '[optim]' 'lr = [1e300]')")
SPECS+=("$(sp lrhuge2 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]' '[optim]' 'lr = [1e-300]')")
SPECS+=("$(sp lrhuge3 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]' '[optim]' 'lr = [1]' 'lr_width_exponent = 300' 'lr_base_width = 1e300')")
for q in "quanta:phrases=0" "quanta:phrases=-1" "quanta:phrases=nan" "quanta:phrases=1e18" "quanta:phrases=1.5" "quanta:phrases" \
         "quanta:phrases=" "quanta:=5" "quanta:phrases=10,phrases=20" "quanta:exponent=0" "quanta:exponent=-1" "quanta:exponent=nan" \
         "quanta:exponent=inf" "quanta:exponent=1e18" "quanta:exponent=0x1p3" "quanta:exponent=1_0" "quanta:exponent=1e-320" \
         "quanta:exponent=1.2,exponent=1.3" "quanta:" "quanta::" "quanta:," "quanta:phrases=10," "quanta:min_length=9,max_length=3" \
         "quanta:letters=1" "quanta:letters=27" "quanta:phrases=1048576,max_length=24" "quanta:phrases=2,letters=2,min_length=1,max_length=1" \
         "quanta:phrases=+5" "quanta: phrases = 5" "quanta:bogus=1" "quanta:PHRASES=5" $'quanta:phrases=5\nx' "quanta:phrases=5;exponent=2" \
         "quanta:phrases=1048576,exponent=8" "quanta:phrases=1048576,exponent=0" "quanta:phrases=5000,letters=2,min_length=1,max_length=3" \
         "QUANTA" "quanta2" "synthetic:words=0" "synthetic:words=1e18" "synthetic:words=10,words=20" "synthetic:successors=0" \
         "synthetic:pool_exponent=nan" "synthetic:words=2,successors=5"; do
    SPECS+=("$(sp "q$n-${#SPECS[@]}" "corpus = \"${q//$'\n'/\\n}\"" '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]')")
    any "train --corpus '$q'" train --corpus "$q" --n-layer 1 --d-model 16 --n-head 1 --seq-len 8 --batch 1 --steps 2 --eval-windows 1 --downstream-items 2 --db "$DB"
    any "sweep --corpus '$q'" sweep --spec "${SPECS[0]}" --corpus "$q" --plan --db "$DB"
done
# grid bombs and resource bombs
SPECS+=("$(sp grid1 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]' '[optim]' "seeds = [$(seq -s, 0 999)]" "lr = [$(seq -s, 1 1000 | sed 's/\([0-9]*\)/\1e-6/g')]")")
GRID2_SHAPES=$(for i in $(seq 1 100); do printf '"1x%d",' $((i * 16)); done)
SPECS+=("$(sp grid2 '[models]' "shapes = [${GRID2_SHAPES%,}]" '[budgets]' "tokens = [$(seq -s, 1000 1000 100000)]" '[optim]' "seeds = [$(seq -s, 0 99)]")")
SPECS+=("$(sp mem1 '[models]' 'shapes = ["64x65536"]' '[budgets]' 'tokens = [2e3]')")
SPECS+=("$(sp mem2 'seq_len = 16777216' '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]')")
SPECS+=("$(sp mem3 '[models]' 'params = [1e12]' '[budgets]' 'tokens = [2e3]')")
SPECS+=("$(sp mem4 'batch = 16777216' '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [1e12]')")
SPECS+=("$(sp mem5 'eval_windows = 1000000' '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]')")
SPECS+=("$(sp mem6 'downstream_items = 10000' 'corpus = "quanta:phrases=1048576"' '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]')")
SPECS+=("$(sp mem7 'evals = 1000000' '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]')")
SPECS+=("$(sp mem8 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [1e12]')")
SPECS+=("$(sp toml1 '[models]' 'shapes = ["1x16"]' 'shapes = ["1x32"]' '[budgets]' 'tokens = [2e3]')")
SPECS+=("$(sp toml2 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]' '[budgets]' 'tokens = [4e3]')")
SPECS+=("$(sp toml3 '[models]' 'shapes = [["1x16"]]' '[budgets]' 'tokens = [2e3]')")
SPECS+=("$(sp toml4 '[models]' 'shapes = []' '[budgets]' 'tokens = [2e3]')")
SPECS+=("$(sp toml5 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]' 'tokens_per_param = [2]')")
SPECS+=("$(sp toml6 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]' '[optim]' 'schedules = [""]')")
SPECS+=("$(sp toml7 'name = "a\nb"' '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]')")
SPECS+=("$(sp toml8 '[models]' 'shapes = ["1x16\n"]' '[budgets]' 'tokens = [2e3]')")
SPECS+=("$(sp toml9 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]' '[optim]' 'schedules = ["cosine\nx"]')")
SPECS+=("$(sp toml10 '[models]' 'shapes = ["1x16", "1x16"]' '[budgets]' 'tokens = [2e3, 2e3]' '[optim]' 'seeds = [0, 0]' 'lr = [1e-3, 1e-3]')")
SPECS+=("$(sp toml11 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]' '[optim]' 'warmup_fraction = 1' 'floor_fraction = 1')")
SPECS+=("$(sp toml12 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]' '[optim]' 'warmup_fraction = -0.0')")
SPECS+=("$(sp toml13 '[models]' 'shapes = ["1x16"]' 'head_dim = 0' '[budgets]' 'tokens = [2e3]')")
SPECS+=("$(sp toml14 '[models]' 'shapes = ["1x16"]' 'head_dim = 32' '[budgets]' 'tokens = [2e3]')")
SPECS+=("$(sp toml15 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]' '[optim]' 'seeds = [9007199254740993]')")
SPECS+=("$(sp toml16 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [1]')")
SPECS+=("$(sp toml17 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]' 'x.y.z = 1')")
SPECS+=("$(sp toml18 'corpus = "'"$W/adir"'"' '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]')")
SPECS+=("$(sp toml19 'corpus = "/dev/zero"' '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]')")
SPECS+=("$(sp toml20 'corpus = "'"$W/fifo"'"' '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]')")
SPECS+=("$(sp toml21 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens = [2e3]' '[optim]' 'schedules = ["cosine:warmup=1e9"]')")
SPECS+=("$(sp toml22 '[models]' 'shapes = ["1x16"]' '[budgets]' 'flops = [1]')")
SPECS+=("$(sp toml23 '[models]' 'shapes = ["1x16"]' '[budgets]' 'flops = [1e30]')")
SPECS+=("$(sp toml24 '[models]' 'params = [1]' '[budgets]' 'tokens = [2e3]')")
SPECS+=("$(sp toml25 '[models]' 'params = [1e-300]' '[budgets]' 'tokens = [2e3]')")
SPECS+=("$(sp toml26 '[models]' 'shapes = ["1x16"]' '[budgets]' 'tokens_per_param = [1e-300]')")
printf '\xef\xbb\xbf%s\n[models]\nshapes = ["1x16"]\n[budgets]\ntokens = [2e3]\n' "$TINYHEAD" >"$W/spec-bom.toml"; SPECS+=("$W/spec-bom.toml")
printf '%s\n[models]\nshapes = ["1x16"]\n[budgets]\ntokens = [2e3]\n\0\0' "$TINYHEAD" >"$W/spec-nul.toml"; SPECS+=("$W/spec-nul.toml")
printf '%s\n[models]\nshapes = ["1x\xff"]\n[budgets]\ntokens = [2e3]\n' "$TINYHEAD" >"$W/spec-utf.toml"; SPECS+=("$W/spec-utf.toml")
awk 'BEGIN{for(i=0;i<100000;i++) printf "a = ["; print ""}' >"$W/spec-deep.toml"; SPECS+=("$W/spec-deep.toml")
awk 'BEGIN{printf "name = \""; for(i=0;i<10000000;i++) printf "x"; print "\""}' >"$W/spec-long.toml"; SPECS+=("$W/spec-long.toml")
for s in "${SPECS[@]}"; do
    any "sweep --plan $(basename "$s")" sweep --spec "$s" --plan --db "$DB"
    any "sweep $(basename "$s")" sweep --spec "$s" --jobs 1 --db "$DB"
done
for p in "" demo. "../presets/demo" "/etc/passwd" DEMO "demo.toml" $'demo\n' "$(printf 'p%.0s' {1..100000})" "../../../../etc/hostname" "a/b"; do
    bad "sweep --preset '$p'" sweep --preset "$p" --plan --db "$DB"
done
for o in "--shapes 64x65536" "--shapes 1x16,1x16" "--tokens-per-param 1e12" "--lrs 1e300" "--lrs 1e-320" "--seeds $(seq -s, 0 9999)" \
         "--lrs $(seq -s, 1 3000 | sed 's/\([0-9]*\)/\1e-7/g')" "--schedules cosine;wsd:decay=1e-320" "--schedules wsd:decay=0.2;wsd:decay=0.2" \
         "--threads 4096" "--threads 4097" "--jobs 4096" "--shard 1/1000000000" "--shard 1/1"; do
    # shellcheck disable=SC2086
    any "sweep preset demo $o" sweep --preset demo $o --plan --db "$DB"
done

# ---- train resource bombs ----------------------------------------------------------------------
T=(--n-layer 1 --d-model 16 --n-head 1 --seq-len 8 --batch 1 --steps 2 --eval-windows 1 --downstream-items 0)
for o in "--d-model 65536 --n-head 1" "--n-layer 100000" "--seq-len 16777216" "--batch 16777216" "--steps 100000000 --batch 1000" \
         "--eval-windows 1000000" "--downstream-items 10000" "--eval-every 0" "--eval-every 1" "--warmup 3" "--warmup 2" \
         "--n-head 16" "--n-head 0" "--d-model 16 --n-head 32" "--threads 4096" "--steps 10000000000" "--schedule wsd:decay=1" \
         "--schedule cosine:steps=2" "--schedule cosine:steps=3" "--floor 1" "--floor -0" "--weight-decay 1e308" "--grad-clip 0" \
         "--grad-clip 1e-320" "--lr 1e300" "--lr 1e-320" "--checkpoint-dir /dev/null" "--checkpoint-dir text.db" "--checkpoint-dir rodir/x"; do
    # shellcheck disable=SC2086
    any "train $o" train "${T[@]}" $o --db "$DB"
done

# ---- databases ---------------------------------------------------------------------------------
DBS=(text.db empty.db other.db newer.db ro.db rodir/r.db truncated.db corrupt.db adir /dev/null /dev/zero fifo "" ":memory:" \
     "file:x.db" "missing.db" "newdir/x.db" "$(printf 'd%.0s' {1..5000}).db")
for d in "${DBS[@]}"; do
    any "runs --db '$d'" runs --db "$d"
    any "query --db '$d'" query "select count(*) from runs" --db "$d"
    any "fit --db '$d'" fit --law chinchilla --source good --starts 5 --bootstrap 0 --db "$d"
    any "fit curve --db '$d'" fit --law annealing --curve curve.csv --bootstrap 0 --db "$d"
    any "predict --db '$d'" predict --fit 1 --compute 1e20 --db "$d"
    any "import --db '$d'" import points.csv --source z --db "$d"
    any "report --db '$d'" report --out "$W/rep-db" --db "$d"
    any "export --db '$d'" export --table runs --db "$d"
    any "sweep plan --db '$d'" sweep --spec "${SPECS[0]}" --plan --db "$d"
    any "train --db '$d'" train "${T[@]}" --db "$d"
    any "merge into --db '$d'" merge "$GOOD" -o "$d"
    any "analyze --db '$d'" analyze --run 1 --db "$d"
done
# locked by another writer: a transaction held open for 25 s
cp "$GOOD" locked.db
( sqlite3 locked.db "begin exclusive; create table zz(x); select 1;" ".shell sleep 25" "commit;" >/dev/null 2>&1 & )
sleep 1
for c in "runs" "import points.csv --source z" "fit --law chinchilla --source good --starts 5 --bootstrap 0"; do
    # shellcheck disable=SC2086
    any "locked: $c" $c --db locked.db
done
rm -f "$W/spec-"*.toml.tmp
say "$n cases; $(grep -c '^\[' "$FLAGS") flagged (see $FLAGS)"
exit "$(grep -c '^\[' "$FLAGS")"
