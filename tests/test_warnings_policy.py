"""The suite's warning policy (pyproject's filterwarnings): our warnings fail a test, those of
third-party code are reported, so the next upstream release cannot turn the suite red."""

import warnings

import pytest


def warn(category, module: str) -> list[str]:
    """Raise a warning as if from `module`; the messages recorded instead of raised."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.warn_explicit(f"from {module}", category, f"{module}.py", 1, module=module)
    return [str(w.message) for w in seen]


@pytest.mark.parametrize("category", [UserWarning, RuntimeWarning, ResourceWarning])
@pytest.mark.parametrize("module", ["quizgen.build", "quizgen.quiz.bank", "test_build"])
def test_a_warning_from_our_code_fails(category, module):
    with pytest.raises(category):
        warn(category, module)


@pytest.mark.parametrize("category", [UserWarning, DeprecationWarning, FutureWarning,
                                      ResourceWarning])
@pytest.mark.parametrize("module", ["click.testing", "yaml.reader", "anki.collection"])
def test_a_warning_from_third_party_code_is_reported_not_raised(category, module):
    assert warn(category, module) == [f"from {module}"]


@pytest.mark.parametrize("module", ["quizgen.cli", "test_cli"])
def test_a_library_deprecating_what_we_call_is_reported_not_raised(module):
    # A library's deprecation notice is attributed to our line that calls it.
    assert warn(DeprecationWarning, module) == [f"from {module}"]
