"""Provisioning a framework: a real venv, real pip, a kernelspec a real kernel starts from.

One tiny framework (``six`` only) is provisioned once per module into a private
cache folder; its kernelspec is registered where the build looks for it, under a
name unique to this run, and removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel

from tests.conftest import REPO, run_cli, write_tree
from xint_site.config import Framework
from xint_site.kernels.environments import (
    MARKER,
    ProvisionError,
    env_dir,
    env_hash,
    kernel_status,
    provision,
)
from xint_site.kernels.kernelspecs import (
    kernel_installed,
    kernelspec_dir,
    missing_kernel_message,
    read_kernelspec,
)

SIX = "six==1.17.0"  # on this machine's local index, so no download
RUN = uuid.uuid4().hex[:8]


def tiny(kernel: str, requirements: tuple[str, ...] = (SIX,)) -> Framework:
    return Framework(
        id="tiny",
        label="Tiny",
        kernel=kernel,
        requirements=requirements,
        env={"XINT_TINY": "from-kernelspec"},
    )


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private XDG_CACHE_HOME for every environment these tests make."""
    root = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root))
        yield root


@pytest.fixture(scope="module")
def kernels() -> Iterator[list[str]]:
    """Kernel names the tests register; their kernelspecs are removed at the end."""
    names: list[str] = []
    yield names
    for name in names:
        shutil.rmtree(kernelspec_dir(name), ignore_errors=True)


@pytest.fixture(scope="module")
def provisioned(cache: Path, kernels: list[str]) -> tuple[Framework, Path, float, list[str]]:
    """The tiny framework, provisioned over a half-made folder an earlier crash left.
    It also holds a requirement written ``name --no-deps`` (one provisioning serves
    both: pip costs tens of seconds per environment on a 2-core machine)."""
    fw = tiny(f"xint-test-tiny-{RUN}", (SIX, "requests --no-deps", "idna"))
    kernels.append(fw.kernel)
    half_made = env_dir(fw)
    write_tree(half_made, {"bin/leftover": "from a killed install"})
    lines: list[str] = []
    started = time.perf_counter()
    env = provision(fw, log=lines.append)
    return fw, env, time.perf_counter() - started, lines


def run_in_kernel(kernel: str, code: str) -> str:
    """Start the kernel as the build would and return what ``code`` prints."""
    km, kc = start_new_kernel(kernel_name=kernel, startup_timeout=60)
    printed: list[str] = []

    def hook(msg: dict) -> None:
        if msg["msg_type"] == "stream":
            printed.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            printed.append("\n".join(msg["content"]["traceback"]))

    try:
        kc.execute_interactive(code, output_hook=hook, timeout=60)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return "".join(printed)


def test_environment_is_named_by_the_hash_of_what_goes_in(cache: Path) -> None:
    fw = tiny("k")
    assert env_dir(fw) == cache / "xint-site" / "envs" / f"tiny-{env_hash(fw)}"
    assert len(env_hash(fw)) == 16
    # Order and the kernel or its variables change nothing installed; a requirement does.
    assert env_hash(tiny("other", ("ipykernel", SIX))) == env_hash(fw)
    assert env_hash(tiny("k", (SIX, "numpy"))) != env_hash(fw)


@pytest.mark.slow
def test_provision_makes_the_env_and_registers_the_kernelspec(provisioned) -> None:
    fw, env, _, lines = provisioned
    assert env == env_dir(fw)
    assert (env / MARKER).is_file()
    assert not (env / "bin" / "leftover").exists(), "the half-made folder was not replaced"
    assert any("incomplete" in line for line in lines), lines
    spec = read_kernelspec(fw.kernel)
    assert spec is not None
    assert spec["argv"] == [
        str(env / "bin" / "python"),
        "-m",
        "ipykernel_launcher",
        "-f",
        "{connection_file}",
    ]
    assert spec["display_name"] == "Tiny"
    assert spec["env"] == {"XINT_TINY": "from-kernelspec"}
    assert spec["metadata"]["xint_site"]["env_hash"] == env_hash(fw)
    assert kernelspec_dir(fw.kernel).parent == Path(sys.prefix) / "share/jupyter/kernels"
    assert kernel_installed(fw.kernel)
    assert kernel_status(fw).state == "ready"


@pytest.mark.slow
def test_the_kernel_starts_in_its_own_environment(provisioned) -> None:
    fw, env, _, _ = provisioned
    printed = run_in_kernel(
        fw.kernel,
        "import os, sys, six\nprint(six.__version__, os.environ['XINT_TINY'], sys.prefix)\n",
    )
    assert printed.split() == ["1.17.0", "from-kernelspec", str(env)]


@pytest.mark.slow
def test_second_provision_is_a_no_op(provisioned) -> None:
    fw, env, first, _ = provisioned
    spec_file = kernelspec_dir(fw.kernel) / "kernel.json"
    before = spec_file.stat().st_mtime_ns
    lines: list[str] = []
    started = time.perf_counter()
    assert provision(fw, log=lines.append) == env
    seconds = time.perf_counter() - started
    assert seconds < 2 < first, (seconds, first)
    assert lines == []
    assert spec_file.stat().st_mtime_ns == before


@pytest.mark.slow
def test_a_changed_kernelspec_is_rewritten_without_reinstalling(provisioned) -> None:
    fw, env, _, _ = provisioned
    spec_file = kernelspec_dir(fw.kernel) / "kernel.json"
    spec_file.write_text('{"argv": ["stale"]}', encoding="utf-8")
    assert kernel_status(fw).state == "unregistered"
    lines: list[str] = []
    assert provision(fw, log=lines.append) == env
    assert [line.split(" in ")[0] for line in lines] == [f"registered kernel '{fw.kernel}'"]
    assert kernel_status(fw).state == "ready"


@pytest.mark.slow
def test_a_failing_install_leaves_no_environment(cache: Path, kernels: list[str]) -> None:
    fw = tiny(f"xint-test-broken-{RUN}", ("six==0.0.0",))
    kernels.append(fw.kernel)
    with pytest.raises(ProvisionError) as failure:
        provision(fw)
    message = str(failure.value)
    assert message.startswith("[Tiny] pip install failed (exit status 1); full log: ")
    assert "six==0.0.0" in failure.value.detail
    assert not env_dir(fw).exists()
    assert not kernel_installed(fw.kernel)
    assert kernel_status(fw).state == "missing"


@pytest.mark.slow
def test_an_interrupted_install_leaves_no_environment(cache: Path, kernels: list[str]) -> None:
    fw = tiny(f"xint-test-stopped-{RUN}", (SIX, "packaging"))
    kernels.append(fw.kernel)
    content = write_tree(cache / "stopped", {"xint.yml": config_text(fw)})
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "xint_site", "kernels", str(content)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    python = env_dir(fw) / "bin" / "python"
    deadline = time.monotonic() + 60
    while not python.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert python.exists(), "the venv was never created"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert not env_dir(fw).exists()
    assert not kernel_installed(fw.kernel)


def test_a_no_deps_requirement_changes_no_other_hash() -> None:
    """``name --no-deps`` is a requirement of its own (a new environment); the hashes of
    environments without one stay what they were."""
    assert env_hash(tiny("k", (SIX, "requests --no-deps"))) != env_hash(tiny("k", (SIX,)))
    assert env_hash(tiny("k", (SIX, "requests --no-deps"))) != env_hash(
        tiny("k", (SIX, "requests"))
    )


@pytest.mark.slow
def test_a_no_deps_requirement_is_installed_without_its_dependencies(provisioned) -> None:
    """How a real D2L book installs ``d2l`` (which pins old numpy, pandas, matplotlib):
    ``requests --no-deps`` gives requests without urllib3, while the other requirements
    keep theirs."""
    fw, env, _, _ = provisioned
    check = (
        "from importlib.metadata import distributions\n"
        "print(sorted(d.metadata['Name'].lower() for d in distributions()))"
    )
    found = subprocess.run(
        [str(env / "bin" / "python"), "-c", check], capture_output=True, text=True, check=True
    ).stdout
    assert "'requests'" in found and "'six'" in found and "'idna'" in found, found
    assert "'urllib3'" not in found and "'certifi'" not in found, found
    assert kernel_status(fw).state == "ready"


def test_missing_kernel_message_names_framework_kernel_and_command() -> None:
    fw = Framework(id="pytorch", label="PyTorch", kernel="xint-pytorch", requirements=("torch",))
    assert missing_kernel_message(fw, Path("my site")) == (
        "[PyTorch] Jupyter kernel 'xint-pytorch' is not installed; "
        "run: xint-site kernels 'my site' --only pytorch"
    )
    own = Framework(id="jax", label="JAX", kernel="my-jax")
    assert "declare the framework's `requirements` in content/xint.yml" in (
        missing_kernel_message(own)
    )
    assert missing_kernel_message("py3") == (
        "Jupyter kernel 'py3' is not installed; "
        "install it with: python -m ipykernel install --user --name py3"
    )


def config_text(*frameworks: Framework) -> str:
    lines = ["frameworks:"]
    for fw in frameworks:
        lines += [
            f"  - id: {fw.id}",
            f"    label: {fw.label}",
            f"    kernel: {fw.kernel}",
            f"    requirements: [{', '.join(fw.requirements)}]",
            f"    env: {{{', '.join(f'{k}: {v}' for k, v in fw.env.items())}}}",
        ]
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_check_lists_each_kernel_and_fails_when_one_is_missing(
    provisioned, cache: Path, tmp_path: Path
) -> None:
    fw, env, _, _ = provisioned
    later = tiny(f"xint-test-later-{RUN}", (SIX, "packaging==0"))
    later = replace(later, id="later", label="Later")
    content = write_tree(tmp_path / "content", {"xint.yml": config_text(fw, later)})
    env_vars = {"XDG_CACHE_HOME": str(cache)}

    result = run_cli("kernels", content, "--check", env=env_vars)
    assert result.returncode == 1, result.stderr
    ready, missing = result.stdout.splitlines()
    assert ready.split() == ["tiny", fw.kernel, "ready", str(env)]
    assert missing.split()[:4] == ["later", later.kernel, "missing", str(env_dir(later))]
    assert missing.endswith(f"(run: xint-site kernels {content} --only later)")

    result = run_cli("kernels", content, "--check", "--only", "Tiny", env=env_vars)
    assert (result.returncode, len(result.stdout.splitlines())) == (0, 1), result.stderr


@pytest.mark.slow
def test_kernels_command_provisions_and_reports_config_lines(
    provisioned, cache: Path, tmp_path: Path
) -> None:
    fw, env, _, _ = provisioned
    content = write_tree(tmp_path / "content", {"xint.yml": config_text(fw)})
    result = run_cli("kernels", content, env={"XDG_CACHE_HOME": str(cache)})
    assert result.returncode == 0, result.stderr
    assert f"[Tiny] {fw.kernel}: ready ({env})" in result.stderr

    bad = config_text(fw, replace(fw, id="twin", label="Twin"))
    write_tree(content, {"xint.yml": bad})
    result = run_cli("kernels", content, env={"XDG_CACHE_HOME": str(cache)})
    assert result.returncode == 1
    assert f"{content}/xint.yml:9: [Twin] kernel '{fw.kernel}' is also provisioned" in (
        result.stderr
    )

    result = run_cli("kernels", content, "--only", "nosuch")
    assert result.returncode == 1
    assert f"{content}/xint.yml: no framework 'nosuch' (known: tiny, twin)" in result.stderr
