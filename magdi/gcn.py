"""The graph encoder of MAGDi: two GCNConv layers classifying each MAG node as correct or not."""

from __future__ import annotations

import warnings

import torch
import torch.nn.functional as F
from torch import Tensor, nn

with warnings.catch_warnings():  # torch_geometric warns about torch.jit.script on import
    warnings.simplefilter("ignore", DeprecationWarning)
    from torch_geometric.nn import GCNConv


class GCN(nn.Module):
    r"""Two-layer graph convolutional network (Kipf and Welling, 2017, https://arxiv.org/abs/1609.02907),
    as in MAGDi (https://arxiv.org/abs/2402.01620):

    .. math::
        \mathbf{Z} = \hat{\mathbf{A}}\,\mathrm{dropout}(\mathrm{ReLU}(\hat{\mathbf{A}}\mathbf{X}
        \mathbf{W}_1))\,\mathbf{W}_2, \qquad
        \hat{\mathbf{A}} = \hat{\mathbf{D}}^{-1/2}(\mathbf{A} + \mathbf{I})\hat{\mathbf{D}}^{-1/2}

    Messages flow along the edges (source -> target), so a turn hears the turns it responds to.
    Unlike the reference, dropout is off in eval mode.

    Args:
        in_channels (int): Node feature size (the LM's hidden size).
        hidden_channels (int, optional): Hidden size. (default: :obj:`512`)
        out_channels (int, optional): Classes. (default: :obj:`2`, incorrect / correct)
        dropout (float, optional): Dropout after the first layer. (default: :obj:`0.5`)

    Shapes:
        - **input:** node features :math:`(|\mathcal{V}|, F_{in})`, edge indices :math:`(2, |\mathcal{E}|)`
        - **output:** node logits :math:`(|\mathcal{V}|, F_{out})`
    """

    def __init__(
        self, in_channels: int, hidden_channels: int = 512, out_channels: int = 2, dropout: float = 0.5
    ) -> None:
        super().__init__()
        self.conv1 = GCNConv(in_channels, hidden_channels)
        self.conv2 = GCNConv(hidden_channels, out_channels)
        self.dropout = dropout
        self.reset_parameters()

    def reset_parameters(self) -> None:
        self.conv1.reset_parameters()
        self.conv2.reset_parameters()

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        x = F.relu(self.conv1(x, edge_index))  # (N, hidden)
        x = F.dropout(x, p=self.dropout, training=self.training)
        return self.conv2(x, edge_index)  # (N, out)


def batch_graphs(edges: list[Tensor], sizes: list[int]) -> Tensor:
    """Disjoint union of graphs: each (2, E_i) edge index shifted by the nodes before it.

    Shapes: edges[i] (2, E_i), sizes[i] = |V_i| -> (2, sum E_i).
    """
    offsets = torch.tensor([0, *sizes[:-1]]).cumsum(0).tolist()
    shifted = [e + o for e, o in zip(edges, offsets)]
    return torch.cat(shifted, dim=1) if shifted else torch.empty(2, 0, dtype=torch.long)
