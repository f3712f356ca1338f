"""The trainsim Python package: ctypes bindings to libtrainsim.so (no compiled extension).

`pip install --no-build-isolation ./python` copies the library into the package, taking
it from $TRAINSIM_LIB or the build tree (../build/libtrainsim.so, as the README's build
command leaves it): build the C project first.
"""
import os
import re
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


def project_version():
    with open(os.path.join(HERE, "..", "CMakeLists.txt"), encoding="utf-8") as f:
        return re.search(r"project\(trainsim VERSION ([0-9.]+)", f.read()).group(1)


def built_library():
    for path in (os.environ.get("TRAINSIM_LIB"), os.path.join(HERE, "..", "build", "libtrainsim.so")):
        if path and os.path.isfile(path):
            return os.path.realpath(path)
    raise SystemExit("trainsim: libtrainsim.so not found: build the project first "
                     "(cmake -S . -B build && cmake --build build) or set TRAINSIM_LIB")


class BuildPyWithLibrary(build_py):
    """Puts libtrainsim.so next to the package's modules."""

    def run(self):
        super().run()
        target = os.path.join(self.build_lib, "trainsim", "libtrainsim.so")
        shutil.copyfile(built_library(), target)
        os.chmod(target, 0o755)


setup(
    name="trainsim",
    version=project_version(),
    description="Monte Carlo simulator of AI training runs (wall time, energy, CO2e, cost) for notebooks",
    packages=["trainsim"],
    python_requires=">=3.9",
    install_requires=["numpy", "pandas"],
    cmdclass={"build_py": BuildPyWithLibrary},
    zip_safe=False,
)
