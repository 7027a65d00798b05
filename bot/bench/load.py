"""Simulated students chatting over Rasa's REST channel (httpx.AsyncClient, loopback only).

A student never has two messages in flight, as in a chat window. In the advisory period a student
whose reply comes after the next message was due sends that message as soon as the reply arrives,
so both stacks get the same messages.
"""
from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass

import httpx

from bot.bench.stats import Reply

SCRIPT = ("hi", "i love fixing engines", "i want to be a nurse", "i draw all weekend",
          "what's in my plan", "thanks", "bye")
ANSWER_TOPICS = {  # the answer messages and the plan topic each one must be saved under
    "i love fixing engines": "interest_statement",
    "i want to be a nurse": "career_goal",
    "i draw all weekend": "interest_statement",
}
TIMEOUT = httpx.Timeout(30.0)
MAX_MESSAGES_PER_STUDENT = 20_000  # a bound on a run against a server that answers instantly
GRACE_S = 60  # a scenario's last messages may still be in flight when its time is up


@dataclass(frozen=True)
class Outcome:
    replies: list[Reply]
    elapsed_s: float


def is_answered(status_code: int, body: object) -> bool:
    """Rasa answers 200 [] when the action server fails: only a non-empty list of messages is an answer."""
    return status_code == 200 and isinstance(body, list) and len(body) > 0


def first_text(body: object) -> str:
    if isinstance(body, list) and body and isinstance(body[0], dict):
        return str(body[0].get("text") or body[0].get("image") or "")[:80]
    return ""


async def send(client: httpx.AsyncClient, url: str, sender: str, message: str) -> Reply:
    started = time.perf_counter()
    try:
        response = await client.post(url, json={"sender": sender, "message": message})
        try:
            body = response.json()
        except ValueError:
            body = None
        ok = is_answered(response.status_code, body)
        text = first_text(body) or f"HTTP {response.status_code}" + (" []" if body == [] else "")
    except httpx.HTTPError as error:
        ok, text = False, type(error).__name__
    return Reply(sender, message, time.perf_counter() - started, ok, text)


def new_client(students: int, headers: dict[str, str]) -> httpx.AsyncClient:
    # Each student keeps a connection between messages, as a browser would. Reconnecting for every
    # message overflows a busy Rasa's listen backlog (100) and shows up as ConnectTimeouts; 60 s stays
    # under Rasa's keep-alive (120 s), so the server never closes a connection under a request.
    limits = httpx.Limits(max_connections=students + 10, max_keepalive_connections=students + 10,
                          keepalive_expiry=60.0)
    return httpx.AsyncClient(timeout=TIMEOUT, limits=limits, headers=headers, trust_env=False)


def webhook(base_url: str) -> str:
    return f"{base_url}/webhooks/rest/webhook"


async def advisory(base_url: str, headers: dict[str, str], students: list[str], duration_s: float,
                   mean_gap_s: float = 20.0, seed: int = 7) -> Outcome:
    """Students each send a message on average every `mean_gap_s` (exponential gaps, random start)."""
    rng = random.Random(seed)
    plans = [(sender, rng.uniform(0, mean_gap_s), random.Random(rng.random())) for sender in students]
    replies: list[Reply] = []
    start = time.monotonic()

    async def student(client: httpx.AsyncClient, sender: str, offset: float, gaps: random.Random) -> None:
        due = offset
        for turn in range(MAX_MESSAGES_PER_STUDENT):
            if due >= duration_s:
                return
            await asyncio.sleep(max(0.0, start + due - time.monotonic()))
            replies.append(await send(client, webhook(base_url), sender, SCRIPT[turn % len(SCRIPT)]))
            due += gaps.expovariate(1 / mean_gap_s)

    async with new_client(len(students), headers) as client:
        await _bounded(duration_s, [student(client, *plan) for plan in plans])
    return Outcome(replies, max(duration_s, time.monotonic() - start))


async def saturation(base_url: str, headers: dict[str, str], students: list[str], duration_s: float) -> Outcome:
    """Students each send the next message as soon as the previous reply arrives."""
    replies: list[Reply] = []
    start = time.monotonic()

    async def student(client: httpx.AsyncClient, sender: str) -> None:
        for turn in range(MAX_MESSAGES_PER_STUDENT):
            if time.monotonic() - start >= duration_s:
                return
            replies.append(await send(client, webhook(base_url), sender, SCRIPT[turn % len(SCRIPT)]))

    async with new_client(len(students), headers) as client:
        await _bounded(duration_s, [student(client, sender) for sender in students])
    return Outcome(replies, max(duration_s, time.monotonic() - start))


async def warm_up(base_url: str, headers: dict[str, str], sender: str) -> list[Reply]:
    """One pass through the script, so the first measured messages do not pay for loading."""
    async with new_client(1, headers) as client:
        return [await send(client, webhook(base_url), sender, message) for message in SCRIPT]


async def _bounded(duration_s: float, coroutines: list) -> None:
    tasks = [asyncio.create_task(coroutine) for coroutine in coroutines]
    done, pending = await asyncio.wait(tasks, timeout=duration_s + GRACE_S)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    for task in done:
        task.result()  # a bug in a student coroutine must not pass silently
