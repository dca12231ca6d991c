"""Mutation testing of the code that decides care and protects patient data (`make mutation`).

Each module is mutated by cosmic-ray, one mutant at a time, and only the tests named for it run
against each mutant, so a module takes minutes. Mutants no test could ever catch are listed with a
reason in tests/mutation_equivalents.toml (reviewed like code) and reported as equivalent, never
silently dropped. Prints killed / survived / equivalent / score per module; exits non-zero when a
module scores below --fail-under.

    .venv/bin/python scripts/mutation.py                   # every module
    .venv/bin/python scripts/mutation.py crypto --fail-under 90
"""

from __future__ import annotations

import argparse
import ast
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
EQUIVALENTS = PROJECT / "tests" / "mutation_equivalents.toml"
PYTHON = sys.executable
COSMIC_RAY = str(Path(sys.executable).parent / "cosmic-ray")


@dataclass(frozen=True)
class Target:
    name: str
    module: str
    tests: tuple[str, ...]
    # Only these functions/methods ("Class.method"), decorators included; empty: the whole module.
    scope: tuple[str, ...] = ()


TARGETS = (
    Target("triage", "intake/triage.py", ("tests/intake/test_triage.py",)),
    Target(
        "scoring",
        "intake/questionnaire/scoring.py",
        ("tests/intake/test_triage.py", "tests/intake/test_questionnaire.py"),
    ),
    Target(
        "flags",
        "intake/questionnaire/model.py",
        ("tests/intake/test_triage.py", "tests/intake/test_questionnaire.py"),
        scope=("When.holds", "Question.raised_flags"),
    ),
    Target("crypto", "intake/crypto.py", ("tests/intake/test_crypto.py",)),
    Target("fields", "intake/fields.py", ("tests/intake/test_fields.py",)),
    Target("keys", "intake/staff/keys.py", ("tests/staff/test_key_rotation.py",)),
    Target(
        "rate_limit",
        "intake/services.py",
        ("tests/intake/test_rate_limit.py",),
        scope=(
            "parse_rate",
            "_window_start",
            "_longest_period",
            "_retry_after",
            "rate_limit_count",
        ),
    ),
    Target("client_address", "core/client_address.py", ("tests/test_client_address.py",)),
    Target("form_token", "intake/form_token.py", ("tests/intake/test_form_token.py",)),
    Target(
        "workflow",
        "intake/staff/review.py",
        (
            "tests/staff/test_status_moves.py",
            "tests/staff/test_workflow.py",
            "tests/staff/test_actions.py",
            # Assignment tells the assignee.
            "tests/staff/test_staff_reminders.py::"
            "test_assigning_a_request_on_the_review_page_tells_the_assignee",
        ),
    ),
    Target(
        "protocol_gate",
        "intake/staff/safety.py",
        (
            # The gate's own tests; the workflow's whole move table is the "workflow" target's.
            "tests/staff/test_status_moves.py::test_contacted_needs_an_attempt_that_reached_the_patient",
            "tests/staff/test_status_moves.py::test_an_outcome_logged_with_the_move_counts",
            "tests/staff/test_status_moves.py::"
            "test_a_positive_screen_leaves_the_queue_only_with_the_protocol_confirmed",
            "tests/staff/test_status_moves.py::test_a_negative_screen_needs_no_protocol",
            "tests/staff/test_status_moves.py::test_both_missing_steps_are_named_at_once",
            "tests/staff/test_status_moves.py::test_the_protocol_is_confirmed_only_with_every_step",
            "tests/staff/test_safety_net.py::test_the_rule_covers_every_status_outside_the_open_set",
            "tests/staff/test_safety_net.py::"
            "test_the_spoke_with_the_patient_path_needs_a_phone_call_that_reached_them_and_a_note",
            "tests/staff/test_safety_net.py::"
            "test_the_could_not_reach_path_needs_an_attempt_that_did_not_reach_them",
            "tests/staff/test_safety_net.py::"
            "test_the_default_retry_time_is_never_later_than_the_usual_allowance",
            "tests/staff/test_safety_net.py::"
            "test_what_is_logged_and_written_in_the_same_save_counts_for_each_path",
            "tests/staff/test_safety_net.py::"
            "test_the_protocol_is_not_confirmed_with_a_step_it_does_not_have",
            "tests/staff/test_safety_net.py::test_a_confirmation_is_undone_when_it_cannot_be_audited",
            "tests/staff/test_appointments.py::"
            "test_the_status_service_itself_needs_an_appointment_ahead",
            "tests/staff/test_rules_across_paths.py::"
            "test_an_appointment_ahead_keeps_a_request_scheduled_and_scheduled_needs_one",
            "tests/staff/test_rules_across_paths.py::"
            "test_the_appointment_is_looked_up_only_for_a_move_into_or_out_of_scheduled",
            # Booking a positive screen waits for a conversation, a linked request's risk
            # included; "scheduled" needs a contact too (a few cases of each walk, for speed; ids
            # without spaces, as the runner splits its command on them).
            *(
                f"tests/staff/test_rules_across_paths.py::{test}[{case}]"
                for test, cases in (
                    (
                        "test_a_positive_screen_is_booked_only_after_speaking_with_the_patient",
                        ("positive-None", "positive-reached", "acute-text_sent", "negative-None"),
                    ),
                    (
                        "test_a_risk_on_a_linked_or_merged_request_still_needs_a_conversation_"
                        "before_booking",
                        (
                            "negative-positive-merged",
                            "negative-positive-none",
                            "positive-negative-merged",
                        ),
                    ),
                    (
                        "test_contacted_and_scheduled_need_a_contact_that_reached_the_patient",
                        ("None", "email_sent", "voicemail"),
                    ),
                )
                for case in cases
            ),
        ),
        scope=(
            "protocol_confirmed",
            "protocol_needed",
            "contact_made",
            "conversation_held",
            "suicide_risk_on_record",
            "next_attempt_due_default",
            "protocol_records_check",
            "status_move_requirements_check",
            "protocol_confirm",
        ),
    ),
)


# cosmic-ray replaces each binary operator with every other one (eleven mutants per `+`); one
# meaningful replacement each keeps a run to minutes. Every other operator runs in full.
BINARY_KEPT = {
    "Add_Sub",
    "Sub_Add",
    "Mul_Div",
    "Div_Mul",
    "FloorDiv_Div",
    "Mod_FloorDiv",
    "Pow_Mul",
    "BitOr_BitAnd",
    "BitAnd_BitOr",
    "BitXor_BitOr",
    "LShift_RShift",
    "RShift_LShift",
}
# Variable replacement/insertion put arbitrary names and numbers in; not part of our set.
OPERATORS_LEFT_OUT = ("core/VariableReplacer", "core/VariableInserter")


def operator_runs(name: str) -> bool:
    if name in OPERATORS_LEFT_OUT:
        return False
    prefix = "core/ReplaceBinaryOperator_"
    return not name.startswith(prefix) or name.removeprefix(prefix) in BINARY_KEPT


def annotation_spans(tree: ast.AST) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where the type annotations are: with `from __future__ import annotations` they are never
    evaluated, so a mutant inside one is equivalent by construction."""
    nodes = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
            nodes.append(node.annotation)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            nodes.append(node.returns)
    return [((n.lineno, n.col_offset), (n.end_lineno, n.end_col_offset)) for n in nodes]


def scope_lines(module: Path, scope: tuple[str, ...]) -> list[tuple[int, int]]:
    """Line ranges (decorators included) of the named functions and methods."""
    tree = ast.parse(module.read_text())
    ranges = []
    for qualified in scope:
        *owner, name = qualified.split(".")
        body = tree.body
        for part in owner:
            body = next(n for n in body if isinstance(n, ast.ClassDef) and n.name == part).body
        node = next(
            n
            for n in body
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name
        )
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        ranges.append((first, node.end_lineno))
    return ranges


def mutated_line(module: Path, spec) -> str:
    """The mutant's version of the line it changes, to tell apart mutants of one line."""
    from cosmic_ray.mutating import mutate_code
    from cosmic_ray.plugins import get_operator

    operator = get_operator(spec.operator_name)(**spec.operator_args)
    mutated = mutate_code(module.read_text(), operator, spec.occurrence)
    return mutated.splitlines()[spec.start_pos[0] - 1].strip() if mutated else ""


def load_equivalents() -> list[dict]:
    if not EQUIVALENTS.exists():
        return []
    entries = tomllib.loads(EQUIVALENTS.read_text()).get("equivalent", [])
    for entry in entries:
        missing = {"module", "operator", "line", "reason"} - entry.keys()
        if missing:
            raise SystemExit(f"{EQUIVALENTS.name}: an entry lacks {sorted(missing)}: {entry}")
    return entries


def run(target: Target) -> tuple[int, int, int, int, list[str]]:

    module = PROJECT / target.module
    original = module.read_text()
    try:
        return _run(target, module)
    finally:
        # cosmic-ray edits the module in place; never leave a mutant behind (Ctrl+C, a crash).
        if module.read_text() != original:
            module.write_text(original)


def _run(target: Target, module: Path) -> tuple[int, int, int, int, list[str]]:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    source_lines = module.read_text().splitlines()
    ranges = scope_lines(module, target.scope) if target.scope else []
    tree = ast.parse(module.read_text())
    annotations = (
        annotation_spans(tree) if "from __future__ import annotations" in module.read_text() else []
    )
    equivalents = [e for e in load_equivalents() if e["module"] == target.module]
    test_command = " ".join(
        [PYTHON, "-m", "pytest", "-x", "-q", "-p", "no:randomly", "--no-header", *target.tests]
    )
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="mutation-") as scratch:
        config = Path(scratch) / "config.toml"
        session = Path(scratch) / "session.sqlite"
        config.write_text(
            "[cosmic-ray]\n"
            f'module-path = "{target.module}"\n'
            "timeout = 60.0\n"
            "excluded-modules = []\n"
            f'test-command = "{test_command}"\n'
            '[cosmic-ray.distributor]\nname = "local"\n'
        )
        subprocess.run(
            [COSMIC_RAY, "init", str(config), str(session)],
            cwd=PROJECT,
            check=True,
        )
        used = set()
        with use_db(str(session), WorkDB.Mode.open) as db:
            for item in db.work_items:
                spec = item.mutations[0]
                line_no = spec.start_pos[0]
                if ranges and not any(a <= line_no <= b for a, b in ranges):
                    db.set_result(
                        item.job_id,
                        WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output="out of scope"),
                    )
                    continue
                if not operator_runs(spec.operator_name):
                    db.set_result(
                        item.job_id,
                        WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output="operator not run"),
                    )
                    continue
                if any(a <= tuple(spec.start_pos) < b for a, b in annotations):
                    db.set_result(
                        item.job_id,
                        WorkResult(
                            worker_outcome=WorkerOutcome.SKIPPED,
                            output="equivalent: an annotation, never evaluated",
                        ),
                    )
                    continue
                text = source_lines[line_no - 1].strip()
                for index, entry in enumerate(equivalents):
                    if entry["operator"] == spec.operator_name and entry["line"] == text:
                        if "to" in entry and mutated_line(module, spec) != entry["to"]:
                            continue
                        used.add(index)
                        db.set_result(
                            item.job_id,
                            WorkResult(
                                worker_outcome=WorkerOutcome.SKIPPED,
                                output="equivalent: " + entry["reason"],
                            ),
                        )
                        break
        for index, entry in enumerate(equivalents):
            if index not in used:
                notes.append(f"stale equivalent entry (no such mutant any more): {entry}")
        baseline = subprocess.run(test_command, shell=True, cwd=PROJECT)  # noqa: S602
        if baseline.returncode != 0:
            raise SystemExit(f"{target.name}: the tests fail without any mutant; fix them first")
        subprocess.run(
            [COSMIC_RAY, "exec", str(config), str(session)],
            cwd=PROJECT,
            check=True,
        )
        killed = survived = equivalent = incompetent = 0
        with use_db(str(session), WorkDB.Mode.open) as db:
            items = {item.job_id: item for item in db.work_items}
            for job_id, result in db.results:
                if result.worker_outcome == WorkerOutcome.SKIPPED:
                    if (result.output or "").startswith("equivalent"):
                        equivalent += 1
                    continue
                if result.test_outcome is None or result.worker_outcome != WorkerOutcome.NORMAL:
                    incompetent += 1  # the mutant did not even import: counted as killed
                    killed += 1
                elif result.test_outcome.value == "survived":
                    survived += 1
                    spec = items[job_id].mutations[0]
                    notes.append(
                        f"SURVIVED {target.module}:{spec.start_pos[0]} {spec.operator_name} "
                        f"{spec.operator_args or ''}\n{result.diff or ''}"
                    )
                else:
                    killed += 1
    return killed, survived, equivalent, incompetent, notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help=", ".join(t.name for t in TARGETS))
    parser.add_argument("--fail-under", type=float, default=90.0)
    parser.add_argument("--quiet", action="store_true", help="do not print surviving diffs")
    parser.add_argument("--tests", nargs="+", help="run these tests instead of the module's own")
    args = parser.parse_args()
    # A terminated run still puts the module back (see run()).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    chosen = [t for t in TARGETS if not args.targets or t.name in args.targets]
    unknown = set(args.targets) - {t.name for t in TARGETS}
    if unknown:
        parser.error(f"unknown module(s): {', '.join(sorted(unknown))}")
    rows = []
    for target in chosen:
        if args.tests:
            target = replace(target, tests=tuple(args.tests))
        started = time.monotonic()
        killed, survived, equivalent, _incompetent, notes = run(target)
        if not args.quiet:
            print("\n".join(notes))
        total = killed + survived
        score = 100.0 * killed / total if total else 100.0
        rows.append((target, killed, survived, equivalent, score, time.monotonic() - started))
        # After each module too, so a long run shows progress.
        print(
            f"mutation {target.name}: killed {killed}, survived {survived}, "
            f"equivalent {equivalent}, score {score:.1f}%",
            flush=True,
        )
    print(f"\n{'module':<17} {'file':<34} killed survived equiv  score  time")
    failed = False
    for target, killed, survived, equivalent, score, seconds in rows:
        mark = "" if score >= args.fail_under else f"  < {args.fail_under:.0f}%"
        failed |= score < args.fail_under
        print(
            f"{target.name:<17} {target.module:<34} {killed:>6} {survived:>8} {equivalent:>5} "
            f"{score:>5.1f}% {seconds:>4.0f}s{mark}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
