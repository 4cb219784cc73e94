"""Build the survkit Python package over an installed libsurvkit (found with pkg-config).

    cmake --install build --prefix PREFIX
    PKG_CONFIG_PATH=PREFIX/lib/pkgconfig pip install --no-build-isolation --no-index bindings/python
"""
import shlex
import subprocess

from setuptools import Extension, setup


def pkg_config(flag):
    out = subprocess.run(["pkg-config", flag, "survkit"], check=True, capture_output=True, text=True)
    return shlex.split(out.stdout)


cflags = pkg_config("--cflags")
libs = pkg_config("--libs")
# The run-time path to the library, so a non-system prefix works without LD_LIBRARY_PATH.
rpath = [f"-Wl,-rpath,{flag[2:]}" for flag in libs if flag.startswith("-L")]

setup(
    name="survkit",
    version="0.1.0",
    description="survkit: survival analysis equal to R's survival, over libsurvkit",
    packages=["survkit"],
    ext_modules=[Extension("survkit._survkit", ["survkit/_survkit.c"],
                           extra_compile_args=cflags + ["-std=c11"],
                           extra_link_args=libs + rpath)],
    install_requires=["numpy", "pandas"],
)
