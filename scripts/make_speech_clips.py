#!/usr/bin/env python3
"""Make the spoken-confirmation clips once: resources/sounds/speech/<name>.wav.

Each clip is one word of kiosk.domain.spoken.WORDS, synthesised by eSpeak NG
(Debian package ``espeak-ng``, which has a Thai voice: ``espeak-ng --voices=th``),
its silence trimmed so that joined words sound like one sentence, stored as
16-bit mono WAV at 16 kHz (small; speech needs no more). The clips are
committed: the kiosk never needs espeak-ng at run time.

Licence: eSpeak NG is GPL-3.0-or-later; the sounds it produces are its output,
not a copy of the program (resources/sounds/speech/LICENSE.txt says so).

    python3 scripts/make_speech_clips.py          # needs espeak-ng on PATH
"""

from __future__ import annotations

import array
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.domain.spoken import WORDS  # noqa: E402

OUT = ROOT / "resources" / "sounds" / "speech"
RATE = 16000
SILENCE = 400  # |sample| below this counts as silence when trimming
PAD_S = 0.03  # kept either side of a word so joins do not click
VOICES = {"th": ("th", 150), "en": ("en-us", 165)}


def synthesise(text: str, voice: str, speed: int) -> tuple[array.array[int], int]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "word.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True
        )
        with wave.open(str(path), "rb") as wav:
            assert wav.getsampwidth() == 2 and wav.getnchannels() == 1
            samples = array.array("h", wav.readframes(wav.getnframes()))
            return samples, wav.getframerate()


def trimmed(samples: array.array[int], rate: int) -> array.array[int]:
    loud = [i for i, s in enumerate(samples) if abs(s) >= SILENCE]
    if not loud:
        return samples
    pad = int(PAD_S * rate)
    return samples[max(0, loud[0] - pad) : loud[-1] + pad]


def resampled(samples: array.array[int], rate: int) -> array.array[int]:
    """Linear interpolation to RATE (espeak-ng speaks at 22 050 Hz)."""
    count = int(len(samples) * RATE / rate)
    out = array.array("h")
    for i in range(count):
        x = i * rate / RATE
        j = int(x)
        k = min(j + 1, len(samples) - 1)
        out.append(int(samples[j] + (samples[k] - samples[j]) * (x - j)))
    return out


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in sorted(WORDS.items()):
        voice, speed = VOICES[name.split("_")[0]]
        samples, rate = synthesise(text, voice, speed)
        clip = resampled(trimmed(samples, rate), rate)
        with wave.open(str(OUT / f"{name}.wav"), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(RATE)
            wav.writeframes(clip.tobytes())
    print(f"{len(WORDS)} clips in {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
