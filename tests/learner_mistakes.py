"""Plausible wrong answers, per chapter and exercise, for the learner test in test_student.py.

Each entry is the code a learner might write in place of the solution. The test runs it in
the chapter's student version, after that exercise's stub, then runs the exercise's self-check
again: the check must fail with an AssertionError whose message starts with "Exercise N" (no
raw AttributeError or TypeError from inside the check). The mistakes include the ones the
authors anticipated and ones they did not: a forgotten ``return``, a wrong type, a wrong axis.
"""
from __future__ import annotations

MISTAKES: dict[str, dict[int, list[str]]] = {
    "01_tensors": {
        1: [
            "predicted_shape = (4, 1, 3)",
            "predicted_shape = 4 * 2 * 3  # the number of elements, not the shape",
            "predicted_shape = '(4, 2, 3)'",
        ],
        2: [
            "predicted_sums = (3.0, 3.0, 3.0)",
            "predicted_sums = 3.0",
            "predicted_sums = ('3', '0', '3')",
        ],
        3: [
            "def standardise(X):\n    (X - X.mean(dim=0)) / X.std(dim=0)  # forgot return",
            "def standardise(X):\n    return (X - X.mean(dim=1)) / X.std(dim=1)",
            "def standardise(X):\n    return ((X - X.mean(dim=0)) / X.std(dim=0)).tolist()",
            "def standardise(X):\n    return (X - X.mean()) / X.std()",
        ],
        4: [
            "flat = hwc.reshape(5, -1)",
            "flat = hwc.permute(0, 3, 1, 2)",
            "flat = hwc.numpy().transpose(0, 3, 1, 2).reshape(5, -1)",
        ],
    },
    "02_autograd": {
        1: ["predicted_grad = 4.0", "predicted_grad = [6.0, 6.0, 4.0]"],
        2: [
            "first_derivative, second_derivative = 1.3818, 0.0",
            "first_derivative, second_derivative = 'sin 1 + cos 1', '2 cos 1 - sin 1'",
            "first_derivative, second_derivative = torch.tensor([1.38, 0.24]), torch.tensor([0.24])",
        ],
        3: [
            "class LogCosh(torch.autograd.Function):\n"
            "    @staticmethod\n"
            "    def forward(ctx, x):\n"
            "        ctx.save_for_backward(x)\n"
            "        return torch.log(torch.cosh(x))\n\n"
            "    @staticmethod\n"
            "    def backward(ctx, grad_output):\n"
            "        (x,) = ctx.saved_tensors\n"
            "        return torch.tanh(x)  # forgot grad_output",
            "def LogCosh(x):\n    return torch.log(torch.cosh(x))",
            "class LogCosh(torch.autograd.Function):\n"
            "    @staticmethod\n"
            "    def forward(ctx, x):\n"
            "        return torch.log(torch.cosh(x))\n\n"
            "    @staticmethod\n"
            "    def backward(ctx, grad_output):\n"
            "        (x,) = ctx.saved_tensors  # nothing was saved\n"
            "        return grad_output * torch.tanh(x)",
        ],
        4: [
            "shapes = [(10, 7), (10, 3), (10, 2)]",
            "shapes = {}\n"
            "for name, module in net.named_modules():\n"
            "    if isinstance(module, nn.Linear):\n"
            "        module.register_forward_hook(lambda m, args, out: shapes.update({name: tuple(out.shape)}))\n"
            "net(batch)",
        ],
    },
    "03_modules": {
        1: [
            "n_params_ex1 = 20 * 50 + 50 * 5",
            "n_params_ex1 = nn.Sequential(nn.Linear(20, 50), nn.ReLU(), nn.Linear(50, 5)).parameters()",
        ],
        2: [
            "class FixedTower(nn.Module):\n"
            "    def __init__(self, depth):\n"
            "        super().__init__()\n"
            "        self.layers = [nn.Linear(8, 8) for _ in range(depth)]\n\n"
            "    def forward(self, x):\n"
            "        for layer in self.layers:\n"
            "            x = torch.relu(layer(x))\n"
            "        return x\n\n"
            "fixed_tower = FixedTower(4)",
            "class FixedTower(nn.Module):\n"
            "    def __init__(self, depth):\n"
            "        super().__init__()\n"
            "        self.layers = nn.ModuleList(nn.Linear(8, 8) for _ in range(depth))\n\n"
            "    def forward(self, x):\n"
            "        for layer in self.layers:\n"
            "            x = torch.relu(layer(x))  # forgot return\n\n"
            "fixed_tower = FixedTower(4)",
        ],
        3: [
            "class Residual(nn.Module):\n"
            "    def __init__(self, f):\n"
            "        super().__init__()\n"
            "        self.f = f\n\n"
            "    def forward(self, x):\n"
            "        return self.f(x)  # forgot the skip connection\n\n"
            "res = Residual(nn.Linear(6, 6))",
            "class Residual:\n"
            "    def __init__(self, f):\n"
            "        self.f = f\n\n"
            "    def __call__(self, x):\n"
            "        return x + self.f(x)\n\n"
            "res = Residual(nn.Linear(6, 6))",
        ],
        4: [
            "bn4 = nn.BatchNorm1d(3)\n"
            "n_state = len(bn4.state_dict())\n"
            "n_param = len(list(bn4.parameters()))\n"
            "eval_out = bn4(torch.tensor([[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]])).detach()  # forgot eval()",
            "bn4 = nn.BatchNorm1d(3)\n"
            "n_state = bn4.state_dict()\n"
            "n_param = list(bn4.parameters())\n"
            "bn4.eval()\n"
            "eval_out = bn4(torch.tensor([[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]])).tolist()",
        ],
    },
}
