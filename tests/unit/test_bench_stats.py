"""The pure parts of `python -m bot.bench`: figures, lost answers, the JSON shape, /proc parsing."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections import Counter

import httpx
import pytest

from bot.bench import load
from bot.bench.load import ANSWER_TOPICS, SCRIPT, first_text, is_answered
from bot.bench.memory import (CLOCK_TICKS_PER_S, cpu_snapshot, parse_cpu_ticks, parse_ppid, parse_rss_kb,
                               server_role, single_target)
from bot.bench.report import FIGURES, BenchResults, as_json, table, write_json
from bot.bench.stack import RESERVED_PORTS, free_port, roster_csv, student_ids
from bot.bench.stats import (Reply, acknowledged_answers, cpu_ms_per_message, lost_answers, percentile, ratio,
                              summarize)
from bot.roster.csv_rows import parse_roster


@pytest.mark.parametrize("values, fraction, expected", [
    ([5.0], 0.99, 5.0),                          # one value is every percentile
    ([1, 2, 3, 4], 0.5, 2.5),                    # even count: halfway between the middle two
    (list(range(1, 101)), 0.95, 95.05),          # numpy's linear method
    ([10, 1, 7, 3], 0.0, 1),                     # unsorted input, minimum
    ([10, 1, 7, 3], 1.0, 10),                    # maximum
])
def test_percentile_interpolates_between_closest_ranks(values, fraction, expected):
    assert percentile(values, fraction) == pytest.approx(expected)


def test_percentile_of_nothing_is_none_and_bad_fractions_are_refused():
    assert percentile([], 0.5) is None
    with pytest.raises(ValueError):
        percentile([1.0], 95)


@pytest.mark.parametrize("status, body, answered", [
    (200, [{"recipient_id": "s", "text": "Hi!"}], True),
    (200, [], False),                    # what Rasa sends when the action server fails
    (500, [{"text": "oops"}], False),    # an error page is never an answer
    (200, {"error": "x"}, False),        # not a list of messages
    (200, None, False),                  # body was not JSON
])
def test_only_a_200_with_messages_counts_as_answered(status, body, answered):
    assert is_answered(status, body) is answered


def test_first_text_is_the_start_of_the_first_message():
    assert first_text([{"text": "x" * 200}, {"text": "second"}]) == "x" * 80
    assert first_text([]) == ""


def reply(sender="BENCH-0001", message="hi", latency_s=0.1, ok=True):
    return Reply(sender, message, latency_s, ok)


def test_summary_counts_errors_apart_from_latency_and_throughput():
    replies = [reply(latency_s=0.1), reply(latency_s=0.3), reply(latency_s=30.0, ok=False), reply(latency_s=0.001, ok=False)]
    result = summarize(replies, elapsed_s=10, lost=0)
    assert (result.sent, result.errors, result.lost) == (4, 2, 0)
    assert result.p50_ms == pytest.approx(200.0)  # neither the timeout nor the fast empty reply moves it
    assert result.p99_ms == pytest.approx(298.0)
    assert result.msgs_per_s == pytest.approx(0.2)


def test_summary_of_a_scenario_where_everything_failed_has_no_latency():
    result = summarize([reply(ok=False)] * 3, elapsed_s=5)
    assert (result.p50_ms, result.p95_ms, result.p99_ms, result.msgs_per_s, result.errors) == (None, None, None, 0.0, 3)
    assert result.lost is None


def test_acknowledged_answers_are_the_answered_answer_messages_by_student_and_topic():
    replies = [
        reply("A", "i love fixing engines"), reply("A", "i draw all weekend"), reply("A", "i want to be a nurse"),
        reply("A", "hi"),                                          # not an answer
        reply("B", "i love fixing engines", ok=False),             # not acknowledged: the student saw an error
        Reply("B", "i draw all weekend", 0.1, True, "Sorry, I couldn't save that just now. Please send it again"),
    ]
    assert acknowledged_answers(replies, ANSWER_TOPICS) == Counter({("A", "interest_statement"): 2, ("A", "career_goal"): 1})


def test_the_failed_save_reply_the_bench_looks_for_is_the_bots_own():
    import yaml

    from bot.bench.stats import NOT_SAVED
    from bot.config import PROJECT_ROOT

    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    assert all(variation["text"].startswith(NOT_SAVED) for variation in domain["responses"]["utter_not_saved"])


@pytest.mark.parametrize("acknowledged, before, after, lost", [
    ({("A", "career_goal"): 2}, {}, {("A", "career_goal"): 2}, 0),                           # all stored
    ({("A", "career_goal"): 2}, {("A", "career_goal"): 2}, {("A", "career_goal"): 3}, 1),    # rows from an earlier scenario do not count
    ({("A", "career_goal"): 1}, {}, {("A", "interest_statement"): 1}, 1),                    # stored under another topic
    ({("A", "career_goal"): 1}, {}, {("B", "career_goal"): 1}, 1),                           # stored for another student
    ({("A", "career_goal"): 1}, {}, {("A", "career_goal"): 3}, 0),                           # extra rows (timed-out retries) are not negative loss
])
def test_lost_answers_are_acknowledged_answers_without_a_new_row(acknowledged, before, after, lost):
    assert lost_answers(Counter(acknowledged), Counter(before), Counter(after)) == lost


@pytest.mark.parametrize("numerator, denominator, expected", [
    (300.0, 100.0, 3.0),
    (None, 100.0, None),   # a side with no answered message has no p95
    (5.0, 0.0, None),      # the baseline answered nothing
    (5.0, None, None),
])
def test_ratio(numerator, denominator, expected):
    assert ratio(numerator, denominator) == expected


def full_results() -> BenchResults:
    results = BenchResults(config={"advisory_s": 180, "saturation_s": 60, "students": 300}, train_s=212.4)
    results.scenarios = {
        "advisory": {"ours": summarize([reply(latency_s=0.2)] * 10, 10, lost=0),
                     "baseline": summarize([reply(latency_s=0.05)] * 10, 10)},
        "saturation": {"ours": summarize([reply(latency_s=0.5)] * 50, 10, lost=2),
                       "baseline": summarize([reply(latency_s=0.05)] * 200, 10)},
    }
    results.peak_rss_mb = {"ours_rasa": 800.5, "baseline_rasa": 600.0}
    return results


def test_json_has_every_figure_per_scenario_and_side_and_the_ratios():
    data = as_json(full_results())
    for scenario in ("advisory", "saturation"):
        for side in ("ours", "baseline"):
            assert set(FIGURES) <= set(data[scenario][side])
    assert data["advisory"]["baseline"]["lost"] is None          # the baseline has no plan database
    assert data["ratio_p95"] == pytest.approx(4.0)                # 200 ms against 50 ms
    assert data["ratio_throughput"] == pytest.approx(0.25)        # 5 msgs/s against 20
    assert data["train_s"] == 212.4 and data["config"]["students"] == 300
    assert data["peak_rss_mb"] == {"baseline_rasa": 600.0, "ours_rasa": 800.5}
    assert full_results().total_lost() == 2


def test_json_of_an_unfinished_run_has_nulls_not_missing_keys(tmp_path):
    path = tmp_path / "bench" / "latest.json"
    write_json(BenchResults(config={}), path)
    data = json.loads(path.read_text())
    assert data["advisory"] == {"ours": None, "scaled": None, "baseline": None}
    assert data["ratio_p95"] is None and data["ratio_throughput"] is None
    assert "-" in table(BenchResults(config={}))


def test_a_scaled_run_adds_its_rows_and_its_ratios_to_the_single_instance():
    results = full_results()
    results.scenarios["advisory"]["scaled"] = summarize([reply(latency_s=0.1)] * 10, 10, lost=0)
    results.scenarios["saturation"]["scaled"] = summarize([reply(latency_s=0.25)] * 100, 10, lost=0)
    data = as_json(results)
    assert data["ratio_scaled_p95"] == pytest.approx(0.5)          # 100 ms against the single instance's 200
    assert data["ratio_scaled_throughput"] == pytest.approx(2.0)   # 10 msgs/s against 5
    text = table(results)
    assert "scaled/single p95 (advisory):" in text and text.count("scaled ") >= 2
    assert "scaled/single" not in table(full_results())


def test_several_rasa_instances_are_each_named(monkeypatch):
    from bot.bench import memory

    rasa = ["/v/bin/python", "-m", "components.rasa_server", "run"]
    commands = {10: rasa, 11: rasa, 12: ["/usr/sbin/nginx", "-c", "x"],
                13: ["/v/bin/python", "-m", "components.action_server"], 14: ["sleep", "1"]}
    monkeypatch.setattr(memory, "command_line", lambda pid: commands[pid])
    targets = memory.serve_targets(1, "scaled", rasa_instances=2)
    assert targets({10: 1, 13: 1}) == {"scaled_rasa_1": 10, "scaled_actions": 13}  # the second not started yet
    found = targets({pid: 1 for pid in commands})
    assert found == {"scaled_rasa_1": 10, "scaled_rasa_2": 11, "scaled_nginx": 12, "scaled_actions": 13}
    assert targets({11: 1, 12: 1}) == {"scaled_rasa_2": 11, "scaled_nginx": 12}  # the first stopped already


def test_a_single_rasa_instance_has_no_number(monkeypatch):
    from bot.bench import memory

    monkeypatch.setattr(memory, "command_line", lambda pid: ["/v/bin/python", "/v/bin/rasa", "run"])
    assert memory.serve_targets(1, "ours")({10: 1}) == {"ours_rasa": 10}


def test_table_shows_each_scenario_and_side():
    text = table(full_results())
    assert text.count("advisory") >= 2 and text.count("saturation") >= 2
    assert "ours_rasa" in text and "800.5" in text


def with_cpu(results: BenchResults) -> BenchResults:
    cpu = {("advisory", "ours"): {"rasa": 62.5, "actions": 20.0, "web": 0.3, "alerts": 0.1},
           ("advisory", "baseline"): {"rasa": 25.0},
           ("saturation", "ours"): {"rasa": 60.0, "actions": 19.5, "web": 0.2, "alerts": 0.0},
           ("saturation", "baseline"): {"rasa": 24.0}}
    for (scenario, side), per_role in cpu.items():
        old = results.scenarios[scenario][side]
        results.scenarios[scenario][side] = summarize([reply()] * old.sent, 10, old.lost, per_role)
    return results


def test_json_has_cpu_per_message_per_server_and_rasas_ratio_to_bare_rasa():
    data = as_json(with_cpu(full_results()))
    assert data["advisory"]["ours"]["cpu_ms_per_msg"] == {"rasa": 62.5, "actions": 20.0, "web": 0.3, "alerts": 0.1}
    assert data["saturation"]["baseline"]["cpu_ms_per_msg"] == {"rasa": 24.0}
    assert data["ratio_rasa_cpu_ms_per_msg"] == {"advisory": 2.5, "saturation": 2.5}
    assert as_json(full_results())["ratio_rasa_cpu_ms_per_msg"] == {"advisory": None, "saturation": None}
    assert as_json(BenchResults(config={}))["ratio_rasa_cpu_ms_per_msg"] == {"advisory": None, "saturation": None}


def test_table_prints_cpu_per_message_and_rasas_ratio():
    text = table(with_cpu(full_results()))
    lines = text.splitlines()
    assert any(line.split()[:2] == ["advisory", "ours"] and "rasa 62.5" in line and "actions 20.0" in line
               and "alerts 0.1" in line for line in lines)
    assert any(line.split()[:2] == ["saturation", "baseline"] and line.split()[2:] == ["rasa", "24.0"] for line in lines)
    assert "ours/baseline Rasa's CPU ms per message:  advisory 2.5   saturation 2.5" in text
    assert "Rasa's CPU ms per message:  advisory -   saturation -" in table(full_results())


def test_script_answers_are_in_the_script():
    assert set(ANSWER_TOPICS) <= set(SCRIPT)


@pytest.mark.parametrize("stat, ppid", [
    ("1234 (python3.10) S 77 1234 1234 0 -1", 77),
    ("99 (odd) name)) R 5 99 99 0 -1", 5),        # a command name may hold spaces and parentheses
])
def test_parse_ppid(stat, ppid):
    assert parse_ppid(stat) == ppid


@pytest.mark.parametrize("stat, ticks", [
    # utime 250 + stime 37; the children's cutime 9000 and cstime 800 are not the process's own
    ("4321 (python3.10) S 1 4321 4321 0 -1 4194560 100 0 0 0 250 37 9000 800 20 0 3 0 12345 0 0", 287),
    ("4321 (a) b (c)) R 1 4321 4321 0 -1 4194560 100 0 0 0 250 37 9000 800 20 0 3 0 12345 0 0", 287),
    ("7 (x 1 2 3 4 5 6 7 8 9 10 11 12 13) S 1 7 7 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 99 0 0", 11),  # digits in the name
])
def test_parse_cpu_ticks_is_utime_plus_stime_whatever_the_command_name(stat, ticks):
    assert parse_cpu_ticks(stat) == ticks


def test_parse_cpu_ticks_agrees_with_the_kernels_own_count_for_this_process():
    for _ in range(200_000):  # use some CPU so the figure is not trivially 0
        pass
    earlier = os.times()
    with open("/proc/self/stat") as stat:
        seconds = parse_cpu_ticks(stat.read()) / CLOCK_TICKS_PER_S
    later = os.times()
    tick = 1 / CLOCK_TICKS_PER_S
    assert earlier.user + earlier.system - tick <= seconds <= later.user + later.system + tick


def test_cpu_per_message_counts_new_processes_from_zero_and_ended_ones_not_at_all():
    before = {"ours_rasa": {10: 1000.0, 11: 50.0}, "ours_web": {20: 5.0}, "ours_actions": {30: 400.0}}
    after = {"ours_rasa": {10: 1600.0, 12: 200.0},   # 11 ended: not counted; 12 started: all of its 200 ms
             "ours_web": {20: 5.0},                   # idle
             "ours_actions": {30: 100.0},             # pid 30 reused by a younger process: never below zero
             "ours_alerts": {40: 40.0}}               # a server that started during the scenario
    assert cpu_ms_per_message(before, after, 100, prefix="ours_") == {
        "rasa": 8.0, "web": 0.0, "actions": 0.0, "alerts": 0.4}
    assert cpu_ms_per_message(before, {}, 100) == {}                    # every server ended
    assert cpu_ms_per_message(before, after, 0) == {}                   # nothing sent: no figure, no division by zero
    assert cpu_ms_per_message({}, {"baseline_rasa": {5: 30.0}}, 3, "baseline_") == {"rasa": 10.0}


def test_cpu_snapshot_sums_a_server_and_its_descendants():
    """A child that burns about 0.3 s of CPU between two snapshots of this process's tree is counted."""
    target = single_target("tests", os.getpid())
    before = cpu_snapshot(target)
    assert os.getpid() in before["tests"]
    burner = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nend = time.process_time() + 0.3\n"
                               "while time.process_time() < end: pass\nprint('done', flush=True)\nsys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert burner.stdout.readline() == "done\n"
        after = cpu_snapshot(target)
    finally:
        burner.communicate("")
    assert burner.pid in after["tests"] and burner.pid not in before["tests"]
    assert cpu_ms_per_message(before, after, 1)["tests"] >= 290  # the child's time, counted from zero
    assert cpu_snapshot(single_target("gone", burner.pid)) == {"gone": {}}  # an ended server: no crash, nothing


def test_parse_rss_kb_reads_vmrss_and_treats_a_zombie_as_zero():
    assert parse_rss_kb("Name:\tpython\nVmPeak:\t 9000 kB\nVmRSS:\t  51234 kB\n") == 51234
    assert parse_rss_kb("Name:\tpython\nState:\tZ (zombie)\n") == 0


@pytest.mark.parametrize("argv, role", [
    (["/repo/.venv/bin/python", "-m", "components.action_server"], "actions"),
    (["/repo/.venv/bin/python", "-m", "components.rasa_server", "run", "--model", "m.tar.gz"], "rasa"),
    (["/repo/.venv/bin/python", "/repo/.venv/bin/rasa", "run", "--model", "m.tar.gz"], "rasa"),  # bare Rasa
    (["/repo/.venv/bin/python", "-m", "bot.web"], "web"),
    (["/repo/.venv/bin/python", "-m", "bot.alerts.worker"], "alerts"),
    (["/usr/sbin/nginx", "-p", "/repo/var/run", "-c", "/repo/var/run/nginx.conf"], "nginx"),
    (["nginx: master process /usr/sbin/nginx -p /repo/var/run -c /repo/var/run/nginx.conf"], "nginx"),
    (["/repo/.venv/bin/python", "/repo/.venv/bin/rasa", "train"], None),  # not a server
    ([], None),                                                           # the process is gone
])
def test_server_role_from_command_line(argv, role):
    assert server_role(argv) == role


def test_synthetic_roster_is_valid_with_grades_6_to_12():
    ids = student_ids(300)
    assert ids[0] == "BENCH-0001" and ids[-1] == "BENCH-0300"
    rows, errors = parse_roster(roster_csv(ids).decode())
    assert errors == [] and len(rows) == 300
    assert {row.grade for row in rows} == set(range(6, 13))


def test_free_port_never_picks_a_port_of_make_run():
    assert free_port() not in RESERVED_PORTS


SERVER_DELAY_S = 0.05


def mock_client(handler) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.MockTransport(handler), timeout=load.TIMEOUT)


@pytest.mark.parametrize("respond, ok, text", [
    (lambda request: httpx.Response(200, json=[{"recipient_id": "A", "text": "Hi!"}]), True, "Hi!"),
    (lambda request: httpx.Response(200, json=[]), False, "HTTP 200 []"),       # the action server failed
    (lambda request: httpx.Response(500, text="<html>"), False, "HTTP 500"),
])
async def test_send_records_whether_the_student_got_an_answer(respond, ok, text):
    async def slow(request):
        await asyncio.sleep(SERVER_DELAY_S)  # the latency recorded covers the server's time
        return respond(request)

    async with mock_client(slow) as client:
        reply = await load.send(client, "http://rasa/webhooks/rest/webhook", "A", "hi")
    assert (reply.sender, reply.message, reply.ok, reply.text) == ("A", "hi", ok, text)
    assert reply.latency_s >= SERVER_DELAY_S


async def test_a_timeout_is_an_error_not_a_crash():
    def respond(request):
        raise httpx.ReadTimeout("too slow", request=request)

    async with mock_client(respond) as client:
        reply = await load.send(client, "http://rasa/webhooks/rest/webhook", "A", "hi")
    assert not reply.ok and reply.text == "ReadTimeout"


@pytest.fixture
def echo_rasa(monkeypatch):
    """Scenarios talk to a MockTransport that answers every message; returns the (sender, message) log."""
    received = []

    def respond(request):
        body = json.loads(request.content)
        received.append((body["sender"], body["message"]))
        return httpx.Response(200, json=[{"recipient_id": body["sender"], "text": "ok"}])

    def client(students, headers):
        return httpx.AsyncClient(transport=httpx.MockTransport(respond), headers=headers, timeout=load.TIMEOUT)

    monkeypatch.setattr(load, "new_client", client)
    return received


def script_order(received, sender):
    return [message for who, message in received if who == sender]


async def test_saturation_students_follow_the_script_back_to_back_until_time_is_up(echo_rasa):
    outcome = await load.saturation("http://rasa", {}, ["A", "B"], duration_s=0.2)
    assert len(outcome.replies) == len(echo_rasa) > 2 * len(SCRIPT)
    for sender in ("A", "B"):
        sent = script_order(echo_rasa, sender)
        assert sent == [SCRIPT[turn % len(SCRIPT)] for turn in range(len(sent))]
    assert 0.2 <= outcome.elapsed_s < 5


async def test_advisory_schedule_is_the_same_for_every_run_with_the_same_seed(echo_rasa):
    first = await load.advisory("http://rasa", {}, ["A", "B", "C"], duration_s=0.5, mean_gap_s=0.05, seed=3)
    first_log = list(echo_rasa)
    echo_rasa.clear()
    second = await load.advisory("http://rasa", {}, ["A", "B", "C"], duration_s=0.5, mean_gap_s=0.05, seed=3)
    assert all(reply.ok for reply in first.replies + second.replies)
    for sender in ("A", "B", "C"):  # same messages per student, in script order
        assert script_order(echo_rasa, sender) == script_order(first_log, sender)
        assert script_order(first_log, sender)[:2] == list(SCRIPT[:2])
