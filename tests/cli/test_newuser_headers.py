"""Lead files written by hand in other languages import their names, companies, places and
notes without --map: a Brazilian sheet's "Nome", a French "Ville", an Italian HubSpot
export's "Cognome". What each column must become is written out as the rep would say it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunCli

# (header line, row, what the stored lead must hold)
FILES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "brazil-sheet": (
        "Nome;Empresa;Cargo;Telefone;Cidade;Estado;País;Observações",
        "José Araújo;Padaria Pão Quente;Dono;(11) 3456-7890;São Paulo;SP;Brasil;Ligar à tarde",
        {
            "name": "José Araújo",
            "company": "Padaria Pão Quente",
            "title": "Dono",
            "city": "São Paulo",
            "state": "SP",
            "notes": "Ligar à tarde",
            "phone": "+551134567890",
        },
    ),
    "hubspot-portuguese": (
        "Nome;Sobrenome;Nome da empresa;Número de telefone;Cidade",
        "José;Araújo;Padaria;(11) 3456-7890;Campinas",
        {"name": "José Araújo", "company": "Padaria", "city": "Campinas"},
    ),
    "hubspot-italian": (
        "Nome;Cognome;Azienda;Ruolo;Numero di telefono;Città;Provincia;Note",
        "Giulia;Bianchi;Rossi SpA;CFO;02 1234 5678;Milano;MI;Richiamare lunedì",
        {
            "name": "Giulia Bianchi",
            "company": "Rossi SpA",
            "title": "CFO",
            "city": "Milano",
            "state": "MI",
            "notes": "Richiamare lunedì",
            "phone": "+390212345678",
        },
    ),
    "spain-sheet": (
        "Nombre;Apellidos;Empresa;Puesto;Teléfono;Ciudad;Provincia",
        "Lucía;García Pérez;Hostal Sol;Gerente;912 345 678;Madrid;Madrid",
        {
            "name": "Lucía García Pérez",
            "company": "Hostal Sol",
            "title": "Gerente",
            "city": "Madrid",
            "state": "Madrid",
        },
    ),
    "mexico-sheet-one-name-column": (
        "Nombre,Empresa,Teléfono,Estado",
        "Ana López,MX Co,+52 81 1234 5678,Nuevo León",
        {"name": "Ana López", "company": "MX Co", "state": "Nuevo León"},
    ),
    "france-excel": (
        "Nom;Prénom;Société;Fonction;Téléphone;Ville;Commentaire",
        "Lefèvre;René;Boulangerie;Gérant;01 42 68 53 00;Paris;Rappeler mardi",
        {
            "name": "René Lefèvre",
            "company": "Boulangerie",
            "title": "Gérant",
            "city": "Paris",
            "notes": "Rappeler mardi",
        },
    ),
    "germany-excel-notes": (
        "Firma;Vorname;Nachname;Telefon;Notiz",
        "Müller GmbH;Jürgen;Weiß;030 1234567;ruft zurück",
        {"name": "Jürgen Weiß", "company": "Müller GmbH", "notes": "ruft zurück"},
    ),
    "netherlands-sheet": (
        "Voornaam;Achternaam;Bedrijf;Telefoonnummer;Plaats;Opmerkingen",
        "Sanne;de Vries;Bakkerij;020 123 4567;Amsterdam;na 14 uur",
        {
            "name": "Sanne de Vries",
            "company": "Bakkerij",
            "city": "Amsterdam",
            "notes": "na 14 uur",
        },
    ),
    "google-sheet-province-state": (
        "Name,Company,Phone,Province/State,Country",
        "Jean Tremblay,QC Inc,514-555-0142,Québec,Canada",
        {"name": "Jean Tremblay", "state": "QC", "country": "CA"},
    ),
    "japan-sheet": (
        "氏名,会社名,役職,電話番号,都道府県,メモ",
        "山田 太郎,山田商事,部長,03-1234-5678,東京都,午後に電話",
        {"name": "山田 太郎", "company": "山田商事", "title": "部長", "notes": "午後に電話"},
    ),
}
REGIONS = {
    "japan-sheet": "JP",
    "spain-sheet": "ES",
    "netherlands-sheet": "NL",
    "france-excel": "FR",
    "germany-excel-notes": "DE",
    "hubspot-italian": "IT",
    "hubspot-portuguese": "BR",
}


@pytest.mark.parametrize("source", sorted(FILES))
def test_hand_made_sheets_in_other_languages_keep_every_field(
    run_cli: RunCli, tmp_path: Path, source: str
) -> None:
    header, row, expected = FILES[source]
    path = tmp_path / f"{source}.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    args = ["import", str(path), "--list", "L"]
    if source in REGIONS:
        args += ["--region", REGIONS[source]]
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    assert "1 imported" in result.stdout, result.stdout
    (lead,) = json.loads(run_cli("leads", "--list", "L", "--json").stdout)
    assert {key: lead[key] for key in expected} == expected
    assert lead["extra"] == {}, "a column was not read as the field it names"
