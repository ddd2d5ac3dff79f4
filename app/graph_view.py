"""The MAG drawn with pyvis: rounds left to right, agents top to bottom, fixed positions.

Colour is the node's effective label (green correct, red incorrect); a human correction that
overrides the automatic label gets a thick purple border and a pencil mark, a human label that
confirms it a thin purple border; excluded nodes are grey with a dashed border. Every agent has
its own shape. Edges are `responds_to` arrows. Hover shows agent, round, answer (raw and
normalised), confidence and labels.

Safety: data reaches the browser only as JSON (the component's arguments), vis-network shows
titles as text, and the component's page (app/templates/mag_graph/) loads nothing from the network
and runs only its own two scripts (Content-Security-Policy). Pure module (no Streamlit): the page
draws it through `app.ui.graph`.
"""

from __future__ import annotations

from pathlib import Path

from pyvis.network import Network

from app.services.mag_view import DiscussionView, NodeView

VIS_DIR = Path(Network.__init__.__code__.co_filename).resolve().parent / "lib" / "vis-9.1.2"

X_STEP, Y_STEP = 200, 140
SHAPES = ("dot", "square", "triangle", "diamond", "star", "triangleDown", "hexagon")
DASHES = (False, [6, 4], [2, 3])  # beyond len(SHAPES) agents, borders vary too
CORRECT = dict(background="#c8e6c9", border="#2e7d32")
INCORRECT = dict(background="#ffcdd2", border="#c62828")
EXCLUDED = dict(background="#eeeeee", border="#9e9e9e")
HUMAN = "#6a1b9a"
SELECTED = "#1565c0"
MAX_LABEL = 18
MAX_TITLE = 600


def agent_style(index: int) -> tuple[str, bool | list[int]]:
    """(shape, border dashes) of the index-th agent: one distinct style per agent."""
    return SHAPES[index % len(SHAPES)], DASHES[(index // len(SHAPES)) % len(DASHES)]


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def node_title(n: NodeView) -> str:
    """Hover text (plain text; vis-network shows it with innerText)."""
    conf = "—" if n.confidence is None else f"{n.confidence:.2f}"
    label = "correct" if n.label else "incorrect"
    if n.human_label is None:
        source = "automatic"
    elif n.human_corrected:
        source = f"human (automatic said {'correct' if n.auto_label else 'incorrect'})"
    else:
        source = "human, agrees with automatic"
    lines = [
        f"{n.agent} · round {n.round}",
        f"answer: {_short(n.answer, 120)}",
        f"normalised: {'(could not be read)' if n.answer_norm is None else n.answer_norm}",
        f"confidence: {conf}",
        f"label: {label} ({source})",
    ]
    if n.excluded:
        lines.append("excluded from training")
    if n.flip:
        lines.append("flip: " + ("right → wrong" if n.flip == "right_wrong" else "wrong → right"))
    if n.needs_review:
        lines.append("waits for review")
    lines.append("")
    lines.append(_short(n.reasoning, 300))
    return "\n".join(lines)[:MAX_TITLE]


def node_label(n: NodeView) -> str:
    marks = ("✎" if n.human_corrected else "") + ("⚑" if n.needs_review else "") + ("⊘" if n.excluded else "")
    # The agent is the row header; the node shows its round and answer (canvas text).
    return f"r{n.round}: {_short(n.answer, MAX_LABEL)} {marks}".strip()


def build_network(view: DiscussionView, selected: int | None = None, height: int = 420) -> Network:
    """The pyvis network of one discussion (no HTML yet)."""
    net = Network(
        height=f"{height}px", width="100%", directed=True, bgcolor="#ffffff", cdn_resources="in_line"
    )
    agents = view.agents
    rounds = view.rounds
    row = {a: i for i, a in enumerate(agents)}
    col = {r: i for i, r in enumerate(rounds)}
    for r in rounds:  # column headers
        net.add_node(
            f"round-{r}",
            label=f"round {r}",
            shape="text",
            x=col[r] * X_STEP,
            y=-Y_STEP * 0.75,
            physics=False,
            fixed=True,
            font=dict(size=16),
        )
    for a in agents:  # row headers
        net.add_node(
            f"agent-{row[a]}",
            label=_short(a, MAX_LABEL),
            shape="text",
            x=-X_STEP * 0.8,
            y=row[a] * Y_STEP,
            physics=False,
            fixed=True,
            font=dict(size=15),
        )
    for n in view.nodes:
        shape, dashes = agent_style(row[n.agent])
        colors = EXCLUDED if n.excluded else (CORRECT if n.label else INCORRECT)
        border = colors["border"]
        width = 2
        if n.human_label is not None:
            border, width = HUMAN, (5 if n.human_corrected else 2)
        if n.id == selected:
            border, width = SELECTED, 6
        color = dict(
            background=colors["background"],
            border=border,
            highlight=dict(background=colors["background"], border=SELECTED),
            hover=dict(background=colors["background"], border=SELECTED),
        )
        net.add_node(
            n.id,
            label=node_label(n),
            shape=shape,
            color=color,
            title=node_title(n),
            x=col[n.round] * X_STEP,
            y=row[n.agent] * Y_STEP,
            physics=False,
            fixed=True,
            size=22 if n.id == selected else 16,
            borderWidth=width,
            shapeProperties=dict(borderDashes=[4, 4] if n.excluded else dashes),
            font=dict(size=13, multi=False),
            shadow=n.id == selected,
        )
    ids = {n.id for n in view.nodes}
    agent_of = {n.id: n.agent for n in view.nodes}
    for src, dst in view.edges:
        if src in ids and dst in ids:
            same = agent_of[src] == agent_of[dst]
            net.add_edge(
                src,
                dst,
                arrows="to",
                width=2 if same else 1,
                color="#546e7a" if same else "#b0bec5",
                smooth=dict(enabled=True, type="curvedCW", roundness=0.08),
            )
    net.options = dict(
        physics=dict(enabled=False),
        interaction=dict(
            hover=True,
            tooltipDelay=80,
            dragNodes=False,
            dragView=True,
            zoomView=True,
            navigationButtons=False,
            keyboard=False,
        ),
        edges=dict(arrows=dict(to=dict(enabled=True, scaleFactor=0.6))),
        layout=dict(improvedLayout=False),
    )
    return net


def graph_height(view: DiscussionView) -> int:
    """Pixels for the MAG: a row per agent (the canvas is as wide as the page; vis fits it)."""
    return max(300, Y_STEP * len(view.agents) + 80)


def graph_data(view: DiscussionView, selected: int | None = None) -> dict:
    """What the graph component draws: nodes, edges and vis-network options (JSON), and its height."""
    height = graph_height(view)
    net = build_network(view, selected, height)
    return dict(nodes=net.nodes, edges=net.edges, options=net.options, height=height)


LEGEND = (
    "green: correct · red: incorrect · grey dashed: excluded · thick purple border ✎: a "
    "human overrode the automatic label · thin purple border: a human confirmed it · ⚑: "
    "waits for review · one shape per agent · arrows: responds to · hover a node for "
    "its answer and confidence · click a node to open it"
)
