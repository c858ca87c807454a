"""The spoken confirmation: clips joined into one WAV, played by a child process."""

from __future__ import annotations

import asyncio
import wave
from pathlib import Path
from typing import Any

from kiosk.domain.money import Money
from kiosk.domain.spoken import WORDS, payment_received
from kiosk.ui.customer.speech import CLIPS, Speaker, join_clips
from tests.qt_fixtures import finish


def test_every_word_has_a_clip_and_a_licence() -> None:
    assert all((CLIPS / f"{name}.wav").is_file() for name in WORDS)
    assert "GNU General Public License" in (CLIPS / "LICENSE.txt").read_text(encoding="utf-8")


def test_joined_clips_last_as_long_as_their_words(tmp_path: Path) -> None:
    words = payment_received(Money(30000), "th")
    out = join_clips(words, tmp_path / "said.wav")
    with wave.open(str(out)) as joined:
        frames = joined.getnframes()
    parts = 0
    for name in words:
        with wave.open(str(CLIPS / f"{name}.wav")) as clip:
            parts += clip.getnframes()
    assert frames > parts  # every word, and a short gap after each


def test_the_player_gets_the_sentence(tmp_path: Path, loop: asyncio.AbstractEventLoop) -> None:
    played = tmp_path / "played.wav"
    player = tmp_path / "player"
    player.write_text(f'#!/bin/sh\ncp "$1" {played}\n', encoding="utf-8")
    player.chmod(0o755)
    speaker = Speaker(enabled=True, player=str(player))

    async def say() -> None:
        speaker.say_paid(Money(30000), "en")
        await asyncio.gather(*speaker._tasks)

    finish(loop, say())
    assert speaker.said == [payment_received(Money(30000), "en")]
    with wave.open(str(played)) as heard:
        assert heard.getnframes() > 0


def test_a_failing_player_is_only_logged(
    tmp_path: Path, loop: asyncio.AbstractEventLoop, caplog: Any
) -> None:
    speaker = Speaker(enabled=True, player=str(tmp_path / "no-such-player"))

    async def say() -> None:
        speaker.say_paid(Money(100), "th")
        await asyncio.gather(*speaker._tasks)

    finish(loop, say())
    assert "could not be spoken" in caplog.text


def test_off_by_default_says_nothing() -> None:
    speaker = Speaker(enabled=False)
    speaker.say_paid(Money(100), "th")
    assert speaker.said == []
