"""Write the synthetic demonstration set: simulated teachers discussing synthetic questions.

    .venv/bin/python scripts/make_synthetic_demo.py            # rewrites data/synthetic/*.jsonl
    .venv/bin/python scripts/make_synthetic_demo.py --out DIR  # somewhere else

Deterministic: the same code always writes the same bytes (a test checks the committed files).
One file per dataset; the store names each dataset after its file.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from magdi.simulated import DEFAULT_AGENTS, simulate_discussions
from magdi.synthetic import make_questions

OUT = Path(__file__).resolve().parents[1] / "data" / "synthetic"
# dataset (file stem) -> (question kind, how many); question seed and discussion seed below
SETS = {
    "synthetic-arith": ("arithmetic", 150),
    "synthetic-yesno": ("yesno", 75),
    "synthetic-choice": ("choice", 75),
}
QUESTION_SEED = 2026
DISCUSSION_SEED = 0
ROUNDS = 3


def demo_files() -> dict[str, str]:
    """File name -> its JSONL text."""
    out = {}
    for name, (kind, n) in SETS.items():
        discussions = simulate_discussions(
            make_questions(kind, n, QUESTION_SEED), list(DEFAULT_AGENTS), rounds=ROUNDS, seed=DISCUSSION_SEED
        )
        out[f"{name}.jsonl"] = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in discussions)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder to write into (default {OUT})")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in demo_files().items():
        (args.out / name).write_text(text, encoding="utf-8")
        print(f"{args.out / name}: {text.count(chr(10))} discussions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
