import os
import subprocess
from pathlib import Path

import pytest

from corpus import REPO


@pytest.fixture(scope="session")
def cli():
    """The CLI built by `cargo test --release` (NEWSFRAME_BIN overrides)."""
    path = Path(os.environ.get("NEWSFRAME_BIN", REPO / "target/release/newsframe"))
    if not path.exists():
        pytest.fail(f"{path} not found: build it with `cargo test --release --no-run`")
    return str(path)


@pytest.fixture(scope="session")
def cli_out(cli, tmp_path_factory):
    """`newsframe run corpora` into a fresh folder, run from the repository so that
    input_file is `corpora/...`."""
    out = tmp_path_factory.mktemp("cli") / "out"
    subprocess.run(
        [cli, "run", "corpora", "--out", str(out), "--no-progress", "--threads", "2"],
        cwd=REPO, check=True, capture_output=True,
    )
    return out
