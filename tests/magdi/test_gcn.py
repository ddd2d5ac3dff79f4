"""The GCN: shapes, batching of graphs, and learning a labelling that needs the edges."""

from __future__ import annotations

import torch

from magdi.gcn import GCN, batch_graphs


def _toy(n_graphs: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Graphs of 2 rounds x 2 agents; a round-1 node is correct when its feature plus those of the
    round-0 nodes it responds to are positive, a round-0 node when its own feature is."""
    xs, edges, ys = [], [], []
    local = torch.tensor([[0, 0, 1, 1], [2, 3, 2, 3]])  # round 0 (nodes 0, 1) -> round 1 (nodes 2, 3)
    for _ in range(n_graphs):
        x = torch.randn(4, 8, generator=g)
        s = x[:, 0]
        y = torch.stack([s[0] > 0, s[1] > 0, s[2] + s[0] + s[1] > 0, s[3] + s[0] + s[1] > 0]).long()
        xs.append(x)
        edges.append(local)
        ys.append(y)
    return torch.cat(xs), batch_graphs(edges, [4] * n_graphs), torch.cat(ys)


def test_batch_graphs_shifts_node_indices():
    e = batch_graphs([torch.tensor([[0], [1]]), torch.tensor([[0, 1], [2, 2]])], [2, 3])
    assert e.tolist() == [[0, 2, 3], [1, 4, 4]]
    assert batch_graphs([], []).shape == (2, 0)


def test_forward_shape_and_eval_is_deterministic():
    gcn = GCN(8, hidden_channels=16, dropout=0.5)
    x, edge_index = torch.randn(5, 8), torch.tensor([[0, 1, 2], [3, 3, 4]])
    assert gcn(x, edge_index).shape == (5, 2)
    gcn.eval()
    assert torch.equal(gcn(x, edge_index), gcn(x, edge_index))


def test_gcn_learns_a_structural_labelling():
    g = torch.Generator().manual_seed(0)
    x, edge_index, y = _toy(200, g)
    xt, et, yt = _toy(100, g)
    torch.manual_seed(0)
    gcn = GCN(8, hidden_channels=32, dropout=0.5)
    opt = torch.optim.Adam(gcn.parameters(), lr=0.02)
    for _ in range(150):
        gcn.train()
        opt.zero_grad()
        torch.nn.functional.cross_entropy(gcn(x, edge_index), y).backward()
        opt.step()
    gcn.eval()
    with torch.no_grad():
        accuracy = (gcn(xt, et).argmax(1) == yt).float().mean().item()
    majority = max(yt.float().mean().item(), 1 - yt.float().mean().item())
    assert accuracy > 0.85 and accuracy > majority + 0.25
