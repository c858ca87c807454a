"""The spoken confirmation: "ได้รับเงิน 300 บาท" / "Payment received, 300 baht".

The words are clips we made once with eSpeak NG (scripts/make_speech_clips.py,
resources/sounds/speech/), joined here into one WAV and played by the
system's player (``paplay``/``pw-play``/``aplay``), as kiosk.ui.sound does:
PySide6-Essentials has no QtMultimedia, and Qt's TextToSpeech has a Thai voice
only where the OS brings one. Joining runs on a worker thread and playing in
a child process, so nothing here waits on the GUI thread; a failure is only
logged.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
import wave
from pathlib import Path

from kiosk.domain.money import Money
from kiosk.domain.spoken import payment_received
from kiosk.ui.theme import RESOURCES

log = logging.getLogger("kiosk.ui.customer")
CLIPS = RESOURCES / "sounds" / "speech"
PLAYERS = ("paplay", "pw-play", "aplay")
GAP_S = 0.04  # between words


def join_clips(names: list[str], target: Path, *, clips: Path = CLIPS) -> Path:
    """One WAV at ``target`` saying ``names`` in order (all clips share one format)."""
    frames: list[bytes] = []
    params = None
    for name in names:
        with wave.open(str(clips / f"{name}.wav"), "rb") as clip:
            if params is None:
                params = clip.getparams()
                gap = b"\0" * int(GAP_S * params.framerate) * params.sampwidth * params.nchannels
            frames += [clip.readframes(clip.getnframes()), gap]
    if params is None:
        raise ValueError("nothing to say")
    with wave.open(str(target), "wb") as out:
        out.setparams(params)
        out.writeframes(b"".join(frames))
    return target


class Speaker:
    """Says a payment aloud, when enabled; ``said`` keeps what was asked (tests, the log)."""

    def __init__(self, *, enabled: bool, player: str | None = None) -> None:
        self.enabled = enabled
        self.player = player or next((p for p in PLAYERS if shutil.which(p)), None)
        self.said: list[list[str]] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._folder = Path(tempfile.gettempdir())

    def say_paid(self, amount: Money, language: str) -> None:
        """Start saying the payment; returns at once (never delays the paid screen)."""
        if not self.enabled:
            return
        words = payment_received(amount, language)
        self.said.append(words)
        try:
            task = asyncio.get_running_loop().create_task(self._say(words))
        except RuntimeError:
            log.info("no event loop: the payment is not spoken")
            return
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _say(self, words: list[str]) -> None:
        try:
            with tempfile.TemporaryDirectory(prefix="kiosk-speech-") as tmp:
                path = await asyncio.to_thread(join_clips, words, Path(tmp) / "paid.wav")
                if self.player is None:
                    log.info("no sound player (%s): the payment is not spoken", "/".join(PLAYERS))
                    return
                proc = await asyncio.create_subprocess_exec(
                    self.player,
                    str(path),
                    stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.DEVNULL,
                )
                await asyncio.wait_for(proc.wait(), 15)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a missing clip, no audio device: said nothing, sale unaffected
            log.warning("the payment could not be spoken: %s", exc)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
