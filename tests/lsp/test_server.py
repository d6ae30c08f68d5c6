"""End-to-end tests of `wharf server` driven by a real LSP client (pytest-lsp over stdio).

Run through `cargo test --test lsp_client`, which passes the binary in `WHARF_BIN`.
"""

import os
import pathlib
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

WHARF = os.environ.get("WHARF_BIN", "wharf")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[WHARF, "server"]))
async def client(lsp_client: LanguageClient, tmp_path_factory):
    root = tmp_path_factory.mktemp("workspace")
    params = types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        root_uri=root.as_uri(),
    )
    await lsp_client.initialize_session(params)
    lsp_client.root = root
    yield
    await lsp_client.shutdown_session()


async def open_doc(client, name, text, language_id):
    path = client.root / name
    path.write_text(text)
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id=language_id, version=1, text=text
            )
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


def codes(client, uri):
    return sorted(d.code for d in client.diagnostics.get(uri, []))


DOCKERFILE = "FROM alpine:3.20 AS build\nUSER 1000\nCMD echo hi\n"


@pytest.mark.asyncio
async def test_diagnostics_arrive_at_exact_ranges(client: LanguageClient):
    uri = await open_doc(client, "Dockerfile", DOCKERFILE, "dockerfile")
    diags = client.diagnostics[uri]
    assert [d.code for d in diags] == ["DL3025"]
    d = diags[0]
    assert (d.range.start.line, d.range.start.character) == (2, 4)
    assert (d.range.end.line, d.range.end.character) == (2, 11)
    assert d.source == "wharf"
    assert d.code_description.href.endswith("#dl3025")


@pytest.mark.asyncio
async def test_incremental_change_relints(client: LanguageClient):
    uri = await open_doc(client, "Dockerfile", DOCKERFILE, "dockerfile")
    # Replace `echo hi` (line 2, columns 4..11) with the exec form.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=2, character=4),
                        end=types.Position(line=2, character=11),
                    ),
                    text='["echo", "hi"]',
                )
            ],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert codes(client, uri) == []


@pytest.mark.asyncio
async def test_code_action_fixes_and_the_diagnostic_goes_away(client: LanguageClient):
    text = 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n'
    uri = await open_doc(client, "compose.yaml", text, "dockercompose")
    assert codes(client, uri) == ["DC001"]
    d = client.diagnostics[uri][0]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=d.range,
            context=types.CodeActionContext(diagnostics=[d]),
        )
    )
    titles = [a.title for a in actions]
    fix = next(a for a in actions if "DC001" in a.title and "suppress" not in a.title)
    assert fix.is_preferred
    assert any(t == "suppress DC001 on this line" for t in titles), titles
    (edit,) = fix.edit.changes[uri]
    new_text = apply(text, edit)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=new_text)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert codes(client, uri) == []
    assert new_text == "services:\n  web:\n    image: nginx:1.27\n"


def apply(text, edit):
    lines = text.split("\n")
    def offset(pos):
        return sum(len(l) + 1 for l in lines[: pos.line]) + pos.character
    a, b = offset(edit.range.start), offset(edit.range.end)
    return text[:a] + edit.new_text + text[b:]


@pytest.mark.asyncio
async def test_hover_shows_rule_docs_and_keywords(client: LanguageClient):
    uri = await open_doc(client, "Dockerfile", DOCKERFILE, "dockerfile")
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=2, character=6),
        )
    )
    assert "DL3025" in hover.contents.value
    assert "\n## What it does" in hover.contents.value
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=1, character=1),
        )
    )
    assert hover.contents.value.startswith("**USER**")


STAGES = (
    "FROM golang:1.23 AS build\n"
    "RUN go build -o /app\n"
    "FROM alpine:3.20\n"
    "COPY --from=build /app /app\n"
    "USER 1000\n"
    'CMD ["/app"]\n'
)


@pytest.mark.asyncio
async def test_definition_references_and_rename_of_a_stage(client: LanguageClient):
    uri = await open_doc(client, "Dockerfile", STAGES, "dockerfile")
    at_ref = types.Position(line=3, character=14)
    doc = types.TextDocumentIdentifier(uri=uri)
    loc = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc, position=at_ref)
    )
    assert (loc.range.start.line, loc.range.start.character) == (0, 20)
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc,
            position=types.Position(line=0, character=21),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert sorted((r.range.start.line, r.range.start.character) for r in refs) == [
        (0, 20),
        (3, 12),
    ]
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc, position=at_ref, new_name="builder")
    )
    changes = edit.changes[uri]
    assert sorted(e.range.start.line for e in changes) == [0, 3]
    assert all(e.new_text == "builder" for e in changes)


@pytest.mark.asyncio
async def test_compose_services_navigate_and_outline(client: LanguageClient):
    text = (
        "services:\n"
        "  db:\n"
        "    image: postgres:17\n"
        "  web:\n"
        "    image: nginx:1.27\n"
        "    depends_on:\n"
        "      - db\n"
    )
    uri = await open_doc(client, "compose.yaml", text, "dockercompose")
    doc = types.TextDocumentIdentifier(uri=uri)
    loc = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc, position=types.Position(line=6, character=9))
    )
    assert (loc.range.start.line, loc.range.start.character) == (1, 2)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc)
    )
    assert [s.name for s in symbols] == ["db", "web"]


@pytest.mark.asyncio
async def test_broken_documents_never_stop_the_server(client: LanguageClient):
    uri = await open_doc(client, "compose.yaml", "services: [\n  {\n", "dockercompose")
    assert "DC000" in codes(client, uri)
    doc = types.TextDocumentIdentifier(uri=uri)
    # A position past the end is the end of the text, where the syntax error is.
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc, position=types.Position(line=40, character=3))
    )
    assert "DC000" in hover.contents.value
    loc = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc, position=types.Position(line=0, character=2))
    )
    assert loc is None
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert symbols == []


@pytest.mark.asyncio
async def test_suppress_action_silences_the_finding(client: LanguageClient):
    text = "FROM alpine:3.20\nUSER 1000\nCMD echo \\\n    hi\n"
    uri = await open_doc(client, "Dockerfile", text, "dockerfile")
    assert codes(client, uri) == ["DL3025"]
    d = client.diagnostics[uri][0]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=d.range,
            context=types.CodeActionContext(diagnostics=[d]),
        )
    )
    suppress = next(a for a in actions if a.title == "suppress DL3025 on this line")
    (edit,) = suppress.edit.changes[uri]
    new_text = apply(text, edit)
    # Above the instruction, not inside its continuation.
    assert new_text.splitlines()[2] == "# wharf: ignore=DL3025"
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=new_text)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert codes(client, uri) == []



async def barrier(client, uri):
    """A request answered after every notification the server sent before it."""
    await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )


@pytest.mark.asyncio
async def test_cross_file_findings_follow_the_other_file(client: LanguageClient):
    (client.root / "api").mkdir()
    compose = "services:\n  api:\n    build:\n      context: ./api\n      target: prod\n"
    compose_uri = await open_doc(client, "compose.yaml", compose, "dockercompose")
    # No Dockerfile yet.
    assert codes(client, compose_uri) == ["DX002"]
    dockerfile = "FROM alpine:3.20 AS build\nUSER 1000\n"
    df_uri = await open_doc(client, "api/Dockerfile", dockerfile, "dockerfile")
    await barrier(client, df_uri)
    assert codes(client, compose_uri) == ["DX001"]
    d = client.diagnostics[compose_uri][0]
    # The target's value, in the compose file.
    assert (d.range.start.line, d.range.start.character) == (4, 14)
    # Naming the stage in the Dockerfile, unsaved, clears the compose file's finding.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=df_uri, version=2),
            content_changes=[
                types.TextDocumentContentChangeWholeDocument(
                    text="FROM alpine:3.20 AS prod\nUSER 1000\n"
                )
            ],
        )
    )
    await barrier(client, df_uri)
    assert codes(client, compose_uri) == []


@pytest.mark.asyncio
async def test_hover_on_a_compose_key(client: LanguageClient):
    text = "services:\n  web:\n    image: nginx:1.27\n    restart: unless-stopped\n"
    uri = await open_doc(client, "compose.yaml", text, "dockercompose")
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=3, character=6),
        )
    )
    assert hover.contents.value.startswith("**`restart`** (service): when the container restarts")
    assert "Value: a string" in hover.contents.value


@pytest.mark.asyncio
async def test_arg_definition_and_build_file_link(client: LanguageClient):
    text = "ARG BASE=alpine:3.20\nFROM ${BASE}\nARG PORT=80\nEXPOSE $PORT\n"
    uri = await open_doc(client, "Dockerfile", text, "dockerfile")
    doc = types.TextDocumentIdentifier(uri=uri)
    loc = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc, position=types.Position(line=3, character=9))
    )
    assert (loc.range.start.line, loc.range.start.character) == (2, 4)
    compose = "services:\n  app:\n    build: .\n"
    compose_uri = await open_doc(client, "compose.yaml", compose, "dockercompose")
    links = await client.text_document_document_link_async(
        types.DocumentLinkParams(text_document=types.TextDocumentIdentifier(uri=compose_uri))
    )
    assert [link.target for link in links] == [uri]
    assert (links[0].range.start.line, links[0].range.start.character) == (2, 11)
