#!/usr/bin/env bash
# Speech fixtures for the tests (DESIGN §7): espeak-ng speaks, sox converts.
# Output: test/fixtures/generated/ (gitignored). Idempotent: a file that exists is kept.
# Each file is written under a temporary name and renamed into place, so a reader never
# sees half a file. Usage: scripts/make-fixtures.sh [output-dir]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../test/fixtures/generated}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "make-fixtures: $tool is missing (apt-get install espeak-ng sox)" >&2; exit 2; }
done

work="$(mktemp -d "$out/.work.XXXXXX")"
trap 'rm -rf "$work"' EXIT

USER_VOICE="en-us"
REPLY_VOICE="en-gb+f3"

QUESTION="What files are in my documents folder?"
FOLLOWUP="Can you read the first one to me, please?"
REPLY="You have three files: a budget, a letter, and some photos."
FIVE="Testing the microphone, one two three, the quick brown fox jumps over the lazy dog."
LONG="This is a long recording that keeps talking for about one minute, so that the capture path can be checked against a known source. \
The assistant listens while the hotkey is held, and the words travel as small frames of twenty milliseconds. \
Each frame carries four hundred and eighty samples at twenty four kilohertz, in sixteen bit little endian form. \
Nothing should be lost and nothing should be repeated, because the server only hears what the microphone delivered. \
The weather today is mild, with a light wind from the west and a few clouds over the hills in the afternoon. \
Later in the evening the clouds may thicken and bring a little rain, which should clear before morning. \
Now for some numbers: seven, fourteen, twenty one, twenty eight, thirty five, forty two, forty nine, fifty six. \
And the alphabet, slowly: a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w, x, y, z. \
A good test keeps speaking without long pauses, so that every part of the signal carries some energy. \
The recording ends here, after roughly sixty seconds of steady, continuous speech from a single voice. \
Thank you for listening to this fixture, and good luck with the comparison of samples and correlations."

# No dither (-D): the same script gives the same samples on every run.
# speak <voice> <text> <file>: raw espeak output (22050 Hz mono).
speak() { espeak-ng -v "$1" -s "${SPEED:-165}" -w "$3" "$2"; }

# to24k <in> <out> [sox effects...]: 24 kHz mono 16-bit.
to24k() { local i="$1" o="$2"; shift 2; sox -V1 -D "$i" -r 24000 -c 1 -b 16 -e signed-integer "$o" "$@"; }
to44s() { local i="$1" o="$2"; shift 2; sox -V1 -D "$i" -r 44100 -c 2 -b 16 -e signed-integer "$o" "$@"; }

# place <tmpfile> <name>: atomic rename into the output folder.
place() { mv -f "$1" "$out/$2"; }

need() { [ ! -s "$out/$1" ]; }

if need question.wav || need short-tap.wav || need question-48k-stereo.wav; then
  speak "$USER_VOICE" "$QUESTION" "$work/q.wav"
  need question.wav && { to24k "$work/q.wav" "$work/question.wav"; place "$work/question.wav" question.wav; }
  # 60 ms cut from the middle of the question: real speech, below the 100 ms commit minimum.
  need short-tap.wav && { to24k "$work/q.wav" "$work/short-tap.wav" trim 0.5 0.06; place "$work/short-tap.wav" short-tap.wav; }
  need question-48k-stereo.wav && {
    sox -V1 -D "$work/q.wav" -r 48000 -c 2 -b 16 -e signed-integer "$work/q48.wav"; place "$work/q48.wav" question-48k-stereo.wav; }
fi

if need followup.wav; then
  speak "$USER_VOICE" "$FOLLOWUP" "$work/f.wav"
  to24k "$work/f.wav" "$work/followup.wav"; place "$work/followup.wav" followup.wav
fi

if need reply.wav; then
  SPEED=190 speak "$REPLY_VOICE" "$REPLY" "$work/r.wav"
  to24k "$work/r.wav" "$work/reply.wav"; place "$work/reply.wav" reply.wav
fi

if need speech-5s.wav || need speech-5s-44k-stereo.wav; then
  speak "$USER_VOICE" "$FIVE" "$work/five.wav"
  # Exactly 5 s (pad if espeak was shorter), from one source so both rates hold the same content.
  sox -V1 "$work/five.wav" "$work/five5.wav" pad 0 5 trim 0 5
  need speech-5s.wav && { to24k "$work/five5.wav" "$work/s5.wav"; place "$work/s5.wav" speech-5s.wav; }
  need speech-5s-44k-stereo.wav && { to44s "$work/five5.wav" "$work/s5s.wav"; place "$work/s5s.wav" speech-5s-44k-stereo.wav; }
fi

if need speech-60s.wav || need speech-60s-44k-stereo.wav; then
  speak "$USER_VOICE" "$LONG" "$work/long.wav"
  # Exactly 60 s: repeat if espeak was short, then cut.
  sox -V1 "$work/long.wav" "$work/long2.wav" repeat 1
  sox -V1 "$work/long2.wav" "$work/long60.wav" trim 0 60
  need speech-60s.wav && { to24k "$work/long60.wav" "$work/s60.wav"; place "$work/s60.wav" speech-60s.wav; }
  need speech-60s-44k-stereo.wav && { to44s "$work/long60.wav" "$work/s60s.wav"; place "$work/s60s.wav" speech-60s-44k-stereo.wav; }
fi

if need transcripts.json; then
  # What each speech fixture says (the fake server uses the reply and question texts).
  cat >"$work/transcripts.json" <<JSON
{
  "question.wav": "$QUESTION",
  "followup.wav": "$FOLLOWUP",
  "reply.wav": "$REPLY",
  "speech-5s.wav": "$FIVE",
  "speech-5s-44k-stereo.wav": "$FIVE"
}
JSON
  place "$work/transcripts.json" transcripts.json
fi

if need not-audio.wav; then
  printf 'This is a text file with a .wav name. A WAV reader must reject it.\n' >"$work/not-audio.wav"
  place "$work/not-audio.wav" not-audio.wav
fi

echo "fixtures ready in $out"
