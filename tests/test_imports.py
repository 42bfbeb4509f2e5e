"""No import circle among the package's modules.

Every `import` / `from ... import` in every module under tfgan_zoo/ (module level and inside
functions: a lazy import that closes a loop is still a loop, it only waits to bite) is read
with `ast`, resolved to the package's modules, and the graph is searched for cycles. Importing
`a.b.c` also runs the `__init__` of `a.b` unless the importer sits inside `a.b` already (then
that package is already initialising), so those edges count too.
"""
import ast
import os

import tfgan_zoo

PACKAGE = "tfgan_zoo"
ROOT = os.path.dirname(os.path.abspath(tfgan_zoo.__file__))


def package_modules():
    """{dotted module name: path} of every .py file under tfgan_zoo/."""
    out = {}
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for f in sorted(files):
            if not f.endswith(".py"):
                continue
            rel = os.path.relpath(os.path.join(folder, f), os.path.dirname(ROOT))[:-3]
            parts = rel.split(os.sep)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = os.path.join(folder, f)
    return out


def _imported_names(tree, module, is_package):
    """The dotted names each import statement of `tree` imports (a `from X import y` gives
    X.y and X: y may be a submodule or an attribute of X)."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(base + ([node.module] if node.module else []))
            else:
                base = node.module
            yield base
            for alias in node.names:
                yield f"{base}.{alias.name}"


def import_graph():
    """{module: set of package modules it imports}."""
    modules = package_modules()
    graph = {}
    for module, path in modules.items():
        with open(path, encoding="utf-8") as fh:
            tree = ast.parse(fh.read(), path)
        is_package = path.endswith("__init__.py")
        own_packages = {module.rsplit(".", k)[0] for k in range(module.count(".") + 1)}
        if not is_package:
            own_packages.discard(module)
        edges = set()
        for name in _imported_names(tree, module, is_package):
            parts = name.split(".")
            for k in range(1, len(parts) + 1):
                target = ".".join(parts[:k])
                if target in modules and target not in own_packages and target != module:
                    edges.add(target)
        graph[module] = edges
    return graph


def find_cycle(graph):
    """One import cycle as [m0, m1, ..., m0], or None (iterative depth-first search)."""
    state = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        state[start] = 1  # 1: on the current path, 2: done
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return path[path.index(child):] + [child]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph[child]))))
    return None


def test_the_walk_sees_the_package():
    graph = import_graph()
    assert {"tfgan_zoo.registry", "tfgan_zoo.models.base", "tfgan_zoo.cli"} <= set(graph)
    assert "tfgan_zoo.errors" in graph["tfgan_zoo.registry"]
    assert "tfgan_zoo.models.declarations" in graph["tfgan_zoo.models.base"]


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


def _reach(graph, module):
    seen, todo = set(), [module]
    while todo:
        for child in graph[todo.pop()] - seen:
            seen.add(child)
            todo.append(child)
    return seen


def test_metrics_know_no_family_and_no_trainer():
    """metrics/ holds generic metrics: nothing it imports, directly or not, is a family, the
    trainer, the export or the CLI (family figures are tfgan_zoo/figures/)."""
    graph = import_graph()
    forbidden = ("tfgan_zoo.models", "tfgan_zoo.train", "tfgan_zoo.export", "tfgan_zoo.cli",
                 "tfgan_zoo.figures", "tfgan_zoo.checkpoint")
    for module in graph:
        if module.startswith("tfgan_zoo.metrics"):
            bad = sorted(m for m in _reach(graph, module) if m.startswith(forbidden))
            assert not bad, f"{module} imports {bad}"
