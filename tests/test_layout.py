"""The project's packages load from this checkout, and Scrapy finds the project."""

import subprocess
import sys

from conftest import ROOT

import feeds
import pipeline
import spiders


def test_packages_load_from_this_repository():
    for package in (spiders, feeds, pipeline):
        assert package.__file__ is not None
        assert ROOT in __import__("pathlib").Path(package.__file__).resolve().parents


def test_stages_are_listed_once_and_drive_item_pipelines():
    from spiders import settings

    ordered = sorted(settings.ITEM_PIPELINES, key=settings.ITEM_PIPELINES.get)
    assert ordered == pipeline.STAGES
    assert [name.rsplit(".", 1)[1] for name in pipeline.STAGES] == [
        "CanonicalizeStage", "ExtractStage", "ClassifyStage", "TagStage", "DedupStage", "StoreStage", "FollowStage",
    ]


def test_scrapy_lists_the_curator_spider_from_the_repo_root():
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["curator", "discover", "linkcheck"]


def test_safe_default_settings():
    from spiders import settings

    assert settings.ROBOTSTXT_OBEY is True
    assert settings.AUTOTHROTTLE_ENABLED is True
    assert "ProdOpsCurator" in settings.USER_AGENT
    assert settings.DOWNLOAD_MAXSIZE <= 20 * 1024 * 1024
    assert settings.TELNETCONSOLE_ENABLED is False
    assert settings.REMOTE_CONTROL_ENABLED is False
    assert settings.PRODOPS_ALLOW_PRIVATE_NETWORK is False
