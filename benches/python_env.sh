# Sourced by the eval scripts: sets $venv to a Python with pyarrow, made with pip as
# .ci/run does when missing (NEWSFRAME_CI_VENV overrides the folder).
venv=${NEWSFRAME_CI_VENV:-target/ci-venv}
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import pyarrow' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check pyarrow
fi
