"""The package's layout: no module imports inside a function, and each module imports first on its own."""
import ast
import pathlib
import subprocess
import sys
import unittest

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "djongo"


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        yield path, ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


class LayoutTests(unittest.TestCase):

    def test_no_import_inside_a_function(self):
        # An import inside a function usually hides an import cycle.
        found = []
        for path, name in modules():
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found += [
                        f"{name}:{inner.lineno}" for inner in ast.walk(node)
                        if isinstance(inner, (ast.Import, ast.ImportFrom))
                    ]
        self.assertEqual(found, [])

    def test_each_module_imports_first(self):
        # Each module imported before any other of the package (the package's
        # modules are dropped between imports): a cycle between two modules
        # fails one of the orders. One fresh interpreter holds Django.
        names = [name for _, name in modules()]
        script = (
            "import importlib, sys\n"
            "from django.conf import settings\n"
            "settings.configure()\n"
            "import django\n"
            "django.setup()\n"
            "for name in sys.argv[1:]:\n"
            "    for loaded in [m for m in sys.modules if m == 'djongo' or m.startswith('djongo.')]:\n"
            "        del sys.modules[loaded]\n"
            "    try:\n"
            "        importlib.import_module(name)\n"
            "    except Exception as exc:\n"
            "        print(f'{name}: {type(exc).__name__}: {exc}')\n"
        )
        result = subprocess.run([sys.executable, "-c", script, *names], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "")
