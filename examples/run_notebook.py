"""Runs the code cells of a notebook in order, as Jupyter would, without Jupyter:
CI uses it to check that analyst_questions.ipynb still works.
Usage: python run_notebook.py NOTEBOOK OUT_DIR"""
import json
import os
import sys

notebook, out = sys.argv[1], sys.argv[2]
os.environ["NEWSFRAME_OUT"] = out
sys.argv = [notebook]
scope = {"__name__": "__main__"}
for cell in json.load(open(notebook, encoding="utf-8"))["cells"]:
    if cell["cell_type"] == "code":
        exec(compile("".join(cell["source"]), notebook, "exec"), scope)
