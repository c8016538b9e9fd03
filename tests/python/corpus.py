"""Reads the bundled corpora the way `newsframe run corpora` does, as rows for
`newsframe.analyze`: same files in the same order (paths sorted), JSONL lines parsed
with their 1-based line numbers, text files split into title and body like the CLI's
text reader, and each row's `input_file` / `input_record` set to what the CLI records."""
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TABLES = ("articles", "rejects", "frames", "entities", "figures")


def corpus_files(folder="corpora"):
    root = REPO / folder
    files = [p for p in root.rglob("*") if p.is_file() and p.suffix in (".jsonl", ".txt")]
    return sorted(str(p.relative_to(REPO)) for p in files)


def text_file_row(path):
    """The CLI's text reader: first non-blank line is the title, the rest the body,
    the parent folder's name the source."""
    text = (REPO / path).read_text(encoding="utf-8").removeprefix("\ufeff")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [l[:-1] if l.endswith("\r") else l for l in lines]
    title, rest = None, []
    for i, line in enumerate(lines):
        if line.strip():
            title, rest = line.strip(), lines[i + 1 :]
            break
    return {"title": title, "text": "\n".join(rest), "source": Path(path).parent.name}


def corpus_rows(folder="corpora"):
    rows = []
    for path in corpus_files(folder):
        if path.endswith(".jsonl"):
            with open(REPO / path, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    if line.strip():
                        rows.append({**json.loads(line), "input_file": path, "input_record": number})
        else:
            rows.append({**text_file_row(path), "input_file": path, "input_record": 0})
    return rows
