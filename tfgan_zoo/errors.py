"""Errors a user can fix. The CLI prints them on one line and exits with code 2."""


class UserError(Exception):
    """Base class for mistakes in input: configs, data, CLI arguments, export inputs."""


class ConfigError(UserError):
    """A config file or override is malformed, names an unknown key, or has a bad value."""


class DataError(UserError):
    """A dataset is missing, empty, or its images have the wrong shape."""


class RunDirError(UserError):
    """A run directory is missing, incomplete, or would be overwritten."""


def check_output_file(path, flag, example):
    """UserError (one line) when `path` cannot become a file: it is a directory, or an
    existing ancestor of it is a file. Commands call it before any work, so nothing they
    compute is lost to a bad output path. `example`: a file name to suggest."""
    import os
    if os.path.isdir(path):
        raise UserError(f"{flag} {path} is a directory; give a file name, e.g. "
                        f"{os.path.join(path, example)}")
    parent = os.path.dirname(os.path.abspath(path))
    while not os.path.exists(parent):
        parent = os.path.dirname(parent)
    if not os.path.isdir(parent):
        raise UserError(f"{flag} {path}: {parent} is a file, not a directory")
