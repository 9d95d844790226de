"""The tick: put new work on the clock, claim due work, send each message once, record it.

Exactly once, with any number of workers: work is claimed with a lease (due_work.claim), sent
with Slack metadata naming it, and recorded only if the lease is still ours. A worker that dies
between sending and recording leaves the lease to expire; the next worker to claim it looks in the
DM's history for that metadata before sending again. The dispatcher's own Web API client never
retries a post by itself (a retried post whose first answer was lost would be a duplicate): every
retry goes through that history check.

Throughput: sends run on a small thread pool, paced by the workspace rate, so the rate limit, not
Slack's latency, is what bounds the sending. On PostgreSQL the pace is shared by every process
(rate_limit.SharedRateLimiter), so N processes together keep the workspace's rate.

Stopping (SIGTERM): stop() ends the tick at once: what is being sent is finished and recorded,
and what was claimed but not yet sent is given back to the database, free for the next claim
(another process's, or this one's after a restart) instead of waiting out its lease.
"""

from __future__ import annotations

import functools
import heapq
import logging
import math
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from models import DueWork, DueWorkStatus
from slackapp.jobs.db_watch import DatabaseWatch
from slackapp.jobs.handlers import BEFORE_CLAIM, CHORES, HANDLERS
from slackapp.jobs.rate_limit import RateLimiter, SharedRateLimiter
from slackapp.jobs.registry import Delivery, Hold, JobContext, StepEnding
from slackapp.jobs.retention import recipient_deactivated
from slackapp.jobs.slack_checks import METADATA_EVENT, already_sent, reach
from slackapp.kernel import due_work
from slackapp.kernel.clock import Clock
from slackapp.metrics import DUE_LAG, TICK_SECONDS, count_due_work, count_held
from slackapp.slack_client import without_retries
from slackapp.views.i18n import reading_as

__all__ = ["METADATA_EVENT", "Dispatcher", "RateLimiter", "SharedRateLimiter"]

logger = logging.getLogger(__name__)

BEFORE_CLAIM_ATTEMPTS = 3
# A wait longer than this goes back to the database (retry_at) instead of the tick's own queue.
LONGEST_IN_TICK_WAIT = 30.0
# Senders in flight (each holding its booked slot) cover this many seconds of the rate: enough
# for Slack's latency, few enough that the slots booked ahead stay close to now.
IN_FLIGHT_SECONDS = 0.5
# While the before-claim steps run beside the sending, how often to look for the work they made.
BEFORE_CLAIM_POLL = 0.2


# Slack's answers when a workflow step was already ended (or its run is gone): nothing to retry.
STEP_ALREADY_ENDED = ("execution_not_in_running_state", "function_execution_not_found")


def _end_step(client: WebClient, ending: StepEnding) -> None:
    """Tell Slack how a workflow step ended, with the workspace's bot token: the function's own
    token lasts minutes, and an answer can take days."""
    if ending.error is not None:
        client.functions_completeError(
            function_execution_id=ending.function_execution_id, error=ending.error
        )
    else:
        client.functions_completeSuccess(
            function_execution_id=ending.function_execution_id, outputs=ending.outputs or {}
        )


@dataclass(frozen=True, order=True)
class _Queued:
    """Claimed work waiting its turn: `slot` is when a sender may pick it up (a monotonic time:
    when it was claimed, in the order it fell due, or after a busy channel's wait)."""

    slot: float
    work_id: int
    workspace_id: int
    kind: str
    token: str


@dataclass(frozen=True)
class _Later:
    """The work could not be sent yet (busy channel, 429): try again in `seconds`."""

    seconds: float


class Dispatcher:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        client_for_workspace: Callable[[int], WebClient],
        clock: Clock,
        rate_limiter: RateLimiter | None = None,
        lease: timedelta = timedelta(minutes=2),
        batch_size: int = 100,
        workers: int = 16,
        max_tick_seconds: float = 120.0,
        worker_name: str | None = None,
        retention: timedelta = timedelta(days=30),
    ) -> None:
        self.session_factory = session_factory
        self.client_for_workspace = client_for_workspace
        self.clock = clock
        self.rate_limiter = rate_limiter or RateLimiter()
        self.lease = lease
        self.batch_size = batch_size
        self.workers = workers
        self.max_tick_seconds = max_tick_seconds
        self.worker_name = worker_name or f"{socket.gethostname()}:{id(self)}"
        # How long a deactivated recipient's data is kept (SECONDCHANCE_RETENTION_DAYS).
        self.retention = retention
        self._tick_lock = threading.Lock()
        self._stopping = threading.Event()
        self._send_clients: dict[tuple[int, str | None], WebClient] = {}
        self._sqlite: bool | None = None
        self.database = DatabaseWatch(session_factory)

    # -- the tick ---------------------------------------------------------------------------
    def stop(self) -> None:
        """Stop at once (SIGTERM): a running tick finishes the sends under way, gives back what
        it claimed and did not send, and returns; no tick starts after this."""
        self._stopping.set()

    def tick(self) -> int:
        """Run one round; returns how many pieces of work were finished. Never raises."""
        if self._stopping.is_set() or not self._tick_lock.acquire(blocking=False):
            return 0  # stopping, or the previous tick is still sending
        started = time.monotonic()
        try:
            if not self.database.answers():
                return 0
            try:
                return self._tick()
            finally:
                TICK_SECONDS.observe(time.monotonic() - started)
        except Exception:
            if self.database.answers():  # else it went away mid-tick, and that is said once
                logger.exception("scheduler tick failed")
            return 0
        finally:
            self._tick_lock.release()

    def _tick(self) -> int:
        if self._single_writer():
            # SQLite: a reader that then writes fails at once if another connection wrote
            # in between, so making work and sending take turns.
            self._before_claim()
            return self._drain()
        # Making work runs beside the sending: what the first batch of feedback schedules
        # makes goes out while the next batches are made, not after all of them
        # (bench/dispatch.py).
        making = threading.Thread(
            target=self._before_claim, name="dispatch-before-claim", daemon=True
        )
        making.start()
        try:
            return self._drain(making)
        finally:
            if not self._stopping.is_set():
                # Stopping does not wait: a batch being made is rolled back with its
                # connection, and made again by the next tick, anyone's.
                making.join()

    def _single_writer(self) -> bool:
        if self._sqlite is None:
            with self.session_factory() as session:
                self._sqlite = session.get_bind().dialect.name == "sqlite"
        return self._sqlite

    def _before_claim(self) -> None:
        for step in BEFORE_CLAIM:
            name = getattr(step, "__name__", step)
            for attempt in range(BEFORE_CLAIM_ATTEMPTS):
                with self.session_factory() as session:
                    try:
                        step(session, self.clock.now())
                        session.commit()
                        break
                    except OperationalError:
                        # SQLite refuses a write at once when another connection wrote since
                        # this transaction read; a moment later it goes through.
                        session.rollback()
                        if not self.database.answers():
                            return
                        if attempt == BEFORE_CLAIM_ATTEMPTS - 1:
                            logger.exception("before-claim step %s failed", name)
                        else:
                            time.sleep(0.05 * (attempt + 1))
                    except Exception:
                        session.rollback()
                        if not self.database.answers():
                            return
                        logger.exception("before-claim step %s failed", name)
                        break

    def _claim_limit(self) -> int:
        # Never claim more than the workspace rate can send well within the lease.
        per_lease = self.rate_limiter.workspace_per_second * self.lease.total_seconds() / 4
        return max(1, min(self.batch_size, int(per_lease)))

    def _drain(self, making: threading.Thread | None = None) -> int:
        """Claim, pace and send until nothing is due (or the tick has run long enough); while
        `making` runs, look again every BEFORE_CLAIM_POLL seconds for the work it has made."""
        finished = 0
        queue: list[_Queued] = []  # a heap, by when each may go
        running: dict[Future[int | _Later], _Queued] = {}
        rate = self.rate_limiter.workspace_per_second
        in_flight = max(2, min(2 * self.workers, math.ceil(rate * IN_FLIGHT_SECONDS) + 1))
        more_in_db = True
        poll_at = 0.0
        stop_claiming_at = time.monotonic() + self.max_tick_seconds
        with ThreadPoolExecutor(self.workers, thread_name_prefix="dispatch") as pool:
            while True:
                if self._stopping.is_set():
                    self._give_back(queue)
                    queue, more_in_db, making = [], False, None
                if making is not None and not making.is_alive():
                    making, more_in_db = None, True  # claim what its last batch made
                if time.monotonic() > stop_claiming_at:
                    more_in_db, making = False, None  # the tick still joins that thread
                look = more_in_db or (making is not None and time.monotonic() >= poll_at)
                if look and len(queue) + len(running) < self._claim_limit():
                    claimed = self._claim()
                    more_in_db = len(claimed) == self._claim_limit()
                    poll_at = time.monotonic() + BEFORE_CLAIM_POLL
                    for item in claimed:
                        heapq.heappush(queue, item)
                now = time.monotonic()
                while queue and queue[0].slot <= now and len(running) < in_flight:
                    item = heapq.heappop(queue)
                    future = pool.submit(self._run_one, item.work_id, item.token, item.workspace_id)
                    running[future] = item
                if not running and not queue and not more_in_db and making is None:
                    return finished
                if running:
                    full = len(running) >= in_flight
                    timeout = max(0.0, queue[0].slot - now) if queue and not full else None
                    if making is not None and not full:
                        timeout = min(
                            timeout if timeout is not None else BEFORE_CLAIM_POLL, BEFORE_CLAIM_POLL
                        )
                    if timeout is None or timeout > BEFORE_CLAIM_POLL:
                        timeout = BEFORE_CLAIM_POLL  # and look at the stop flag that often
                    done, _ = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
                elif queue:
                    self._stopping.wait(max(0.0, min(queue[0].slot - now, 0.5)))
                    done = set()
                elif making is not None and not more_in_db:
                    making.join(timeout=max(0.0, poll_at - now))
                    done = set()
                else:
                    done = set()
                for future in done:
                    item = running.pop(future)
                    outcome = future.result()  # _run_one catches Exception; a crash goes up
                    if isinstance(outcome, _Later):
                        if outcome.seconds > LONGEST_IN_TICK_WAIT or self._stopping.is_set():
                            self._release(item.work_id, item.token, outcome.seconds)
                            count_due_work(item.kind, "released")
                            continue
                        later = time.monotonic() + outcome.seconds
                        heapq.heappush(queue, replace(item, slot=later))
                    else:
                        finished += outcome

    def send_now(self, work_id: int) -> bool:
        """Send one piece of due work at once, from the request that made it (someone is
        waiting for it), with the lease and the send a tick uses: if this process dies before
        the send is recorded, the lease runs out and a tick sends it, after a look at the DM's
        history. False when another worker has it, or the workspace's pace says wait (a tick
        sends it then)."""
        with self.session_factory() as session:
            token = due_work.claim_one(
                session, work_id=work_id, now=self.clock.now(), lease=self.lease
            )
            if token is None:
                return False
            workspace_id, kind = due_work.workspaces_of(session, [work_id])[work_id]
        count_due_work(kind, "claimed")
        outcome = self._run_one(work_id, token, workspace_id)
        if isinstance(outcome, _Later):
            self._release(work_id, token, outcome.seconds)
            count_due_work(kind, "released")
            return False
        return outcome == 1

    def _claim(self) -> list[_Queued]:
        """Claim what is due, in the order it fell due; each piece takes its workspace's send
        slot only when a sender picks it up (_run_one)."""
        with self.session_factory() as session:
            token, ids = due_work.claim(
                session, now=self.clock.now(), lease=self.lease, limit=self._claim_limit()
            )
            if not ids:
                return []
            found = due_work.workspaces_of(session, ids)
        claimed = []
        for order, work_id in enumerate(ids):
            workspace_id, kind = found[work_id]
            count_due_work(kind, "claimed")
            claimed.append(
                _Queued(time.monotonic() + order * 1e-6, work_id, workspace_id, kind, token)
            )
        return claimed

    def _give_back(self, queue: list[_Queued]) -> None:
        """Stopping: the claimed work not yet sent goes back to the database at once."""
        tokens: dict[str, list[_Queued]] = {}
        for item in queue:
            tokens.setdefault(item.token, []).append(item)
        for token, items in tokens.items():
            with self.session_factory() as session:
                due_work.give_back(session, work_ids=[i.work_id for i in items], token=token)
                session.commit()
            for item in items:
                count_due_work(item.kind, "released")

    # -- one piece of work ------------------------------------------------------------------
    def _run_one(self, work_id: int, token: str, workspace_id: int) -> int | _Later:
        # The workspace's slot is taken here, just before the send, not when the work was
        # claimed: a process starved of CPU is then late before it takes its slots, never with
        # slots in hand that it would use all at once, past the rate, beside the others' sends.
        wait = self.rate_limiter.workspace_slot(workspace_id) - time.monotonic()
        if wait > LONGEST_IN_TICK_WAIT:
            return _Later(wait)  # the workspace was told to wait that long (429)
        if wait > 0 and self._stopping.wait(wait):
            return _Later(0.0)  # stopping: given back unsent
        try:
            with self.session_factory() as session:
                work = session.get(DueWork, work_id)
                now = self.clock.now()
                if work is None or not due_work.held(work, token=token, now=now):
                    return 0
                chore = CHORES.get(work.kind)
                if chore is not None:
                    if not self._finish(session, work_id, token, DueWorkStatus.DONE):
                        session.rollback()
                        return 0
                    chore(JobContext(session=session, work=work, now=now))
                    session.commit()
                    return 1
                handler = HANDLERS.get(work.kind)
                try:
                    # Each handler says whose language it writes in (read_as); none leaks on.
                    with reading_as(None):
                        delivery = (
                            handler(
                                JobContext(
                                    session=session,
                                    work=work,
                                    now=now,
                                    slack=functools.partial(
                                        self.client_for_workspace, work.workspace_id
                                    ),
                                )
                            )
                            if handler
                            else None
                        )
                except Exception:
                    session.rollback()
                    if not self.database.answers():
                        return 0
                    logger.exception("due work %s (%s) failed to build", work_id, work.kind)
                    self._fail(work_id, token, "handler error")
                    return 0
                if delivery is None or isinstance(delivery, Hold):
                    error = {"error": "held"} if delivery is not None else {}
                    if self._finish(session, work_id, token, DueWorkStatus.SKIPPED, **error):
                        if delivery is not None:
                            delivery.on_held(session)
                            count_held(work.kind)
                        session.commit()
                        return 1
                    session.rollback()
                    return 0
                busy = self.rate_limiter.take_channel(
                    delivery.user_id, workspace_id=work.workspace_id
                )
                if busy:
                    session.rollback()
                    return _Later(busy)
                return self._deliver(session, work, delivery, token)
        except Exception:
            if not self.database.answers():
                return 0  # its lease runs out, and it is claimed again once the database is back
            logger.exception("due work %s failed", work_id)
            self._fail(work_id, token, "dispatch error")
            return 0

    def _send_client(self, workspace_id: int) -> WebClient:
        """The workspace's client without automatic retries (see the module docstring)."""
        client = self.client_for_workspace(workspace_id)
        key = (workspace_id, client.token)
        if key not in self._send_clients:
            plain = without_retries(client)
            if plain is client:
                return client
            self._send_clients[key] = plain
        return self._send_clients[key]

    def _deliver(
        self, session: Session, work: DueWork, delivery: Delivery, token: str
    ) -> int | _Later:
        client = self._send_client(work.workspace_id)
        work_id, workspace_id = work.id, work.workspace_id
        channel: str | None
        ts: str | None
        try:
            if delivery.step_ending is not None:
                _end_step(client, delivery.step_ending)
                channel = ts = None
            elif delivery.replace is not None:
                channel, ts = delivery.replace
                client.chat_update(
                    channel=channel, ts=ts, text=delivery.text, blocks=delivery.blocks
                )
            else:
                found = already_sent(client, work, delivery) if work.attempts > 1 else None
                if found:
                    channel, ts = found
                elif not self._lease_for_post(session, work, token):
                    session.rollback()
                    return 0  # it ran out: the worker that takes it over checks the history
                else:
                    response = client.chat_postMessage(
                        channel=delivery.user_id,
                        text=delivery.text,
                        blocks=delivery.blocks,
                        metadata={
                            "event_type": METADATA_EVENT,
                            "event_payload": {"due_work_id": work.id, **delivery.extra_metadata},
                        },
                        unfurl_links=False,
                    )
                    channel, ts = str(response["channel"]), str(response["ts"])
        except SlackApiError as error:
            session.rollback()
            response = error.response
            code = str(response.get("error", "")) if response is not None else ""
            if response is not None and response.status_code == 429:
                retry_after = float(response.headers.get("Retry-After", 1) or 1)
                self.rate_limiter.back_off(delivery.user_id, retry_after, workspace_id=workspace_id)
                return _Later(retry_after)
            if (
                delivery.replace is not None
                and code in ("message_not_found", "cant_update_message")
            ) or (delivery.step_ending is not None and code in STEP_ALREADY_ENDED):
                return self._record(session, work_id, token, DueWorkStatus.SKIPPED, error=code)
            recipient = reach(client, code, delivery.user_id)
            if recipient.unreachable and (
                delivery.on_unreachable is not None or recipient.deactivated
            ):
                return self._unreachable(
                    session, work, delivery, token, code, recipient.deactivated
                )
            status = response.status_code if response is not None else 0
            self._fail(work_id, token, code or "slack error", transient=status >= 500)
            return 0
        except Exception as error:  # the connection failed: maybe sent, the retry checks
            session.rollback()
            self._fail(work_id, token, type(error).__name__, transient=True)
            return 0
        if not self._finish(session, work_id, token, DueWorkStatus.DONE, channel=channel, ts=ts):
            # Our lease ran out and another worker took over; it checks the history first.
            session.rollback()
            logger.warning("due work %s was sent after its lease ran out", work_id)
            return 0
        if delivery.on_sent is not None:
            delivery.on_sent(session, channel or "", ts or "")
        session.commit()
        return 1

    def _lease_for_post(self, session: Session, work: DueWork, token: str) -> bool:
        """Whether this worker may post now. Building the message can take long (Slack's
        retries while reading the recipient's status, the history check): a post started on a
        lease about to run out races the worker that takes the work over, whose history check
        finds nothing yet, and both post (the soak run found one). With less than half the lease
        left, the lease is renewed first and committed, and the post happens only if the work
        was still ours. In this session, not a second one: each sender holding two connections
        could empty the pool (on SQLite it did), and the build only read (its writes wait for
        on_sent), so the commit carries the renewal alone."""
        now = self.clock.now()
        if work.lease_until is not None and work.lease_until - now >= self.lease / 2:
            return True
        renewed = due_work.renew(session, work_id=work.id, token=token, now=now, lease=self.lease)
        session.commit()
        if renewed:
            # What the row says now, without making the loaded row dirty (nothing to flush).
            set_committed_value(work, "lease_until", now + self.lease)
        return renewed

    def _unreachable(
        self,
        session: Session,
        work: DueWork,
        delivery: Delivery,
        token: str,
        code: str,
        deactivated: bool,
    ) -> int:
        """The recipient can no longer get DMs: this work is skipped, the delivery says what else
        follows, and a deactivated account goes the way a user_change event would have sent it
        (schedules stop, purge after the window), so a missed event costs one failed send."""
        work_id, workspace_id, now = work.id, work.workspace_id, self.clock.now()
        # Marked first: stopping their schedules sets aside their pending work, this row too.
        if not self._finish(session, work_id, token, DueWorkStatus.SKIPPED, error=code):
            session.rollback()
            return 0
        if delivery.on_unreachable is not None:
            delivery.on_unreachable(session, code)
        if deactivated:
            recipient_deactivated(
                session,
                workspace_id=workspace_id,
                slack_user_id=delivery.user_id,
                now=now,
                retention=self.retention,
            )
        session.commit()
        return 1

    def _record(
        self, session: Session, work_id: int, token: str, status: DueWorkStatus, *, error: str
    ) -> int:
        if self._finish(session, work_id, token, status, error=error):
            session.commit()
            return 1
        session.rollback()
        return 0

    def _finish(
        self,
        session: Session,
        work_id: int,
        token: str,
        status: DueWorkStatus,
        **landed: str | None,
    ) -> bool:
        """due_work.finish() now; `landed` is channel and ts of a send, or the error."""
        now = self.clock.now()
        finished = due_work.finish(
            session, work_id=work_id, token=token, status=status, now=now, **landed
        )
        work = session.get(DueWork, work_id) if finished else None  # in the session already
        if work is not None:
            if "channel" in landed:
                count_due_work(work.kind, "sent")
                DUE_LAG.labels(kind=work.kind).observe(
                    max(0.0, (now - work.due_at).total_seconds())
                )
            else:
                count_due_work(work.kind, "done" if status == DueWorkStatus.DONE else "skipped")
        return finished

    def _release(self, work_id: int, token: str, seconds: float) -> None:
        """Give the work back to the database, due again in `seconds` (a long Retry-After)."""
        with self.session_factory() as session:
            retry_at = self.clock.now() + timedelta(seconds=seconds)
            due_work.release(session, work_id=work_id, token=token, retry_at=retry_at)
            session.commit()

    def _fail(self, work_id: int, token: str, reason: str, *, transient: bool = False) -> None:
        with self.session_factory() as session:
            now = self.clock.now()
            work = session.get(DueWork, work_id)  # fail() finds it in the session
            ours = work is not None and work.lease_owner == token
            gave_up = due_work.fail(
                session, work_id=work_id, token=token, reason=reason, now=now, transient=transient
            )
            if gave_up is not None:
                logger.error("due work %s (%s) gave up: %s", gave_up.id, gave_up.kind, reason)
                late = now - gave_up.due_at > due_work.GIVE_UP_AFTER
                count_due_work(gave_up.kind, "missed" if late else "failed")
            elif work is not None and ours:
                count_due_work(work.kind, "retried")
            session.commit()
