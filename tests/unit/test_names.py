"""Which word of a full name is the first name."""

from __future__ import annotations

import pytest

from dialsmile.core.names import first_name_of, split_name


@pytest.mark.parametrize(
    ("full", "first", "last"),
    [
        ("Jane Smith", "Jane", "Smith"),
        ("Mary Ann Smith", "Mary", "Smith"),
        # Honorifics and titles, with or without dots, in any case.
        ("Dr. Jane Smith", "Jane", "Smith"),
        ("dr jane smith", "jane", "smith"),
        ("Mr Bob Jones", "Bob", "Jones"),
        ("MR. BOB JONES", "BOB", "JONES"),
        ("Mrs. Ada Lovelace", "Ada", "Lovelace"),
        ("Ms Priya Raman", "Priya", "Raman"),
        ("Miss Tilly Baker", "Tilly", "Baker"),
        ("Mx. Sam Lee", "Sam", "Lee"),
        ("Prof. Grace Hopper", "Grace", "Hopper"),
        ("Sir Elton John", "Elton", "John"),
        ("Dame Judi Dench", "Judi", "Dench"),
        ("Herr Jürgen Müller", "Jürgen", "Müller"),
        ("Frau Dr. Anna Schmidt", "Anna", "Schmidt"),
        ("Prof. Dr. Hans Müller", "Hans", "Müller"),
        ("Dr. med. Hans Müller", "Hans", "Müller"),
        ("Dr.-Ing. Karl Benz", "Karl", "Benz"),
        ("Hr. Ola Nordmann", "Ola", "Nordmann"),
        ("Fr. Kari Nordmann", "Kari", "Nordmann"),
        ("Dott. Luca Bianchi", "Luca", "Bianchi"),
        ("Dott.ssa Maria Rossi", "Maria", "Rossi"),
        ("Sig. Mario Rossi", "Mario", "Rossi"),
        ("Sr. Juan Pérez", "Juan", "Pérez"),
        ("Sra. Ana de la Cruz", "Ana", "de la Cruz"),
        ("M. Jean Dupont", "Jean", "Dupont"),
        ("Mme Claire Martin", "Claire", "Martin"),
        ("Mlle Sophie Durand", "Sophie", "Durand"),
        # Last name first.
        ("Smith, John", "John", "Smith"),
        ("Smith, John Paul", "John", "Smith"),
        ("Smith, Dr. John", "John", "Smith"),
        ("Smith Jr., John", "John", "Smith"),
        # Suffixes are not names.
        ("John Smith Jr.", "John", "Smith"),
        ("John Smith, Jr.", "John", "Smith"),
        ("Henry Ford III", "Henry", "Ford"),
        ("Jane Smith, PhD, MD", "Jane", "Smith"),
        ("Jane Doe MBA", "Jane", "Doe"),
        ("Jim Beam Sr.", "Jim", "Beam"),
        # No first name to be had: a title or an initial with a last name.
        ("Dr. Smith", "", "Smith"),
        ("Ms. Okafor", "", "Okafor"),
        ("J. Smith", "", "Smith"),
        ("J. R. Smith", "", "Smith"),
        ("J. Robert Oppenheimer", "Robert", "Oppenheimer"),
        ("Dr.", "", ""),
        ("", "", ""),
        ("   ", "", ""),
        # Words that only look like titles or suffixes.
        ("Don Draper", "Don", "Draper"),
        ("Jack Ma", "Jack", "Ma"),
        ("Anh Do", "Anh", "Do"),
        ("Madonna", "Madonna", ""),
        # Last names with particles.
        ("Ludwig van Beethoven", "Ludwig", "van Beethoven"),
        ("Juan Carlos de la Cruz", "Juan", "de la Cruz"),
    ],
)
def test_split_name(full: str, first: str, last: str) -> None:
    assert split_name(full) == (first, last)


@pytest.mark.parametrize(
    ("cell", "first"),
    [
        ("Jane", "Jane"),
        ("Jane Marie", "Jane Marie"),
        ("Dr. Jane", "Jane"),
        ("Mr", ""),
        ("Frau", ""),
        ("Herr Dr.", ""),
        ("Don", "Don"),
    ],
)
def test_first_name_of_a_first_name_cell(cell: str, first: str) -> None:
    assert first_name_of(cell) == first
