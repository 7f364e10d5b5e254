"""The embedding model behind the semantic signal: it loads from the installed wheel with no
network at all, and it places a paraphrase nearer its concept than an unrelated text."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

from pipeline.understand.embeddings import DIMENSIONS, embed

LOAD_AND_EMBED = ("from pipeline.understand.embeddings import embed; "
                  "print(embed(['product operations', 'quarterly objectives']).shape)")


def test_the_model_loads_and_embeds_with_the_network_absent():
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare (util-linux) to run a process without a network")
    # A new network namespace has no interface but a loopback that is down: nothing can reach
    # a hub, so a download attempt would fail the load.
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a network namespace here: {probe.stderr.strip()}")
    result = subprocess.run(["unshare", "-n", sys.executable, "-c", LOAD_AND_EMBED], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"(2, {DIMENSIONS})"


def test_a_paraphrase_is_nearer_its_concept_than_an_unrelated_text():
    concept, paraphrase, unrelated, empty = embed([
        "OKRs: objectives and key results, goal setting and alignment on measurable outcomes",
        "Every quarter the product team agrees on a few objectives and the results that show progress",
        "Preheat the oven, mash three ripe bananas and fold them into the batter",
        "",
    ])
    assert concept @ paraphrase > concept @ unrelated + 0.05
    assert abs(float(concept @ concept) - 1.0) < 1e-5 and not empty.any()


def test_the_crawler_process_loads_neither_the_model_nor_scikit_learn():
    """They cost the crawler ~100 MB; the workers and `prodops retag` load them when needed."""
    code = ("import importlib, sys, pipeline, spiders.curator, pipeline.cli.main\n"
            "for stage in pipeline.STAGES: importlib.import_module(stage.rsplit('.', 1)[0])\n"
            "print(sorted(m for m in ('wordllama', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
