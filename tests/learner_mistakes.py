"""Plausible wrong answers, per chapter and exercise, for the learner test in test_student.py.

Each entry is the code a learner might write in place of the solution. The test runs it in
the chapter's student version, after that exercise's stub, then runs the exercise's self-check
again: the check must fail with an AssertionError whose message starts with "Exercise N" (no
raw AttributeError or TypeError from inside the check). The mistakes include the ones the
authors anticipated and ones they did not: a forgotten ``return``, a wrong type, a wrong axis.
"""
from __future__ import annotations

# The loop of chapter 06's exercise 3 with its parts as fields, for the wrong and correct variants below.
_FIT_06 = (
    "def fixed_fit(model, train_loader, val_loader, optimizer, epochs):\n"
    "    history = []\n"
    "{before}"
    "    for epoch in range(epochs):\n"
    "{start}"
    "        total_loss = 0.0\n"
    "        for inputs, targets in train_loader:\n"
    "            inputs, targets = inputs.to(device), targets.to(device)\n"
    "{zero}"
    "            loss = {loss}\n"
    "            loss.backward()\n"
    "{between}"
    "            optimizer.step()\n"
    "            total_loss += {accumulate}\n"
    "        model.eval()\n"
    "        correct = 0\n"
    "        with torch.no_grad():\n"
    "            for inputs, targets in val_loader:\n"
    "                correct += (model(inputs.to(device)).argmax(dim=1) == targets.to(device)).sum().item()\n"
    "        history.append(({epoch_loss}, correct / len(val_loader.dataset)))\n"
    "    return history"
)
_FIT_06_RIGHT = dict(
    before="", start="        model.train()\n", zero="            optimizer.zero_grad()\n",
    loss="F.cross_entropy(model(inputs), targets)", between="", accumulate="loss.item() * len(inputs)",
    epoch_loss="total_loss / len(train_loader.dataset)",
)


def _fit_06(**changes: str) -> str:
    return _FIT_06.format(**{**_FIT_06_RIGHT, **changes})


# The accumulation of chapter 06's exercise 4, as the colleague wrote it, with its parts as fields.
_ACC_06 = (
    "def accumulated_epoch_sum(model, loader, optimizer, accum_steps):\n"
    "    model.train()\n"
    "{setup}"
    "    for i, (inputs, targets) in enumerate(loader):\n"
    "        loss = {loss}\n"
    "        loss.backward()\n"
    "        if {step_when}:\n"
    "            optimizer.step()\n"
    "{zero}"
)
#: Samples in micro-batch i's group: accum_steps full micro-batches, fewer in the last group.
_ACC_06_GROUP = "min(accum_steps * loader.batch_size, len(loader.dataset) - i // accum_steps * accum_steps * loader.batch_size)"
_ACC_06_GROUP_SIZE = f"F.mse_loss(model(inputs.to(device)), targets.to(device), reduction='sum') / {_ACC_06_GROUP}"


def _acc_06(setup: str = "    optimizer.zero_grad()\n", zero_after_step: bool = True,
            loss: str = "F.mse_loss(model(inputs.to(device)), targets.to(device), reduction='sum') / (accum_steps * loader.batch_size)",
            step_when: str = "(i + 1) % accum_steps == 0 or (i + 1) == len(loader)") -> str:
    """A variant of the colleague's loop; by default only its zero_grad is fixed (inside the if)."""
    zero = "            optimizer.zero_grad()" if zero_after_step else "        optimizer.zero_grad()"
    return _ACC_06.format(setup=setup, loss=loss, step_when=step_when, zero=zero)


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
        5: [
            "predicted_class_sums, predicted_smallest = [4.0, 5.0, 8.0], [0, 1]  # summed by the class's value",
            "predicted_class_sums, predicted_smallest = [8.0, 5.0, 4.0], [1, 2]  # smallest last",
            "predicted_class_sums, predicted_smallest = [8.0, 5.0, 4.0], [4.0, 5.0]  # values, not indices",
            "predicted_class_sums, predicted_smallest = [1.0, 2.0, 3.0], [0, 1]  # the first three values",
            "predicted_class_sums, predicted_smallest = '[8.0, 5.0, 4.0]', '[2, 1]'",
            "predicted_class_sums, predicted_smallest = torch.tensor([8.0, 5.0, 4.0]), torch.tensor([2, 1])",
            "predicted_class_sums = [8.0, 5.0, 4.0]  # forgot the second",
            "predicted_class_sums, predicted_smallest = [6.0, 5.0, 3.0], [2, 1]  # index_add_ overwrites like scatter_",
            "predicted_class_sums, predicted_smallest = [8.0, 5.0, 4.0], [5.0, 4.0]  # values, largest first",
            "predicted_class_sums, predicted_smallest = [8.0, 5.0, 4.0], [3, 1]  # not an index of sums",
        ],
    },
    "02_autograd": {
        1: ["predicted_grad = 4.0", "predicted_grad = [6.0, 6.0, 4.0]"],
        2: [
            # the given function, unchanged: g has no history, so the penalty sends nothing back
            "def penalised_loss(w, x, y):\n"
            "    loss = ((w * x - y) ** 2).mean()\n"
            "    (g,) = torch.autograd.grad(loss, w, retain_graph=True)\n"
            "    return loss + 0.5 * g.pow(2).sum()",
            # retain_graph dropped: the backward through loss's freed graph raises
            "def penalised_loss(w, x, y):\n"
            "    loss = ((w * x - y) ** 2).mean()\n"
            "    (g,) = torch.autograd.grad(loss, w)\n"
            "    return loss + 0.5 * g.pow(2).sum()",
            # retain_graph kept, and g made to require grad: a new leaf, still cut off from w
            "def penalised_loss(w, x, y):\n"
            "    loss = ((w * x - y) ** 2).mean()\n"
            "    (g,) = torch.autograd.grad(loss, w, retain_graph=True)\n"
            "    g.requires_grad_()\n"
            "    return loss + 0.5 * g.pow(2).sum()",
            # the penalty dropped: training is then trivially 'the same'
            "def penalised_loss(w, x, y):\n"
            "    return ((w * x - y) ** 2).mean()",
            # create_graph=True, but g detached in the penalty
            "def penalised_loss(w, x, y):\n"
            "    loss = ((w * x - y) ** 2).mean()\n"
            "    (g,) = torch.autograd.grad(loss, w, create_graph=True)\n"
            "    return loss + 0.5 * g.detach().pow(2).sum()",
            # a forgotten return
            "def penalised_loss(w, x, y):\n"
            "    loss = ((w * x - y) ** 2).mean()\n"
            "    (g,) = torch.autograd.grad(loss, w, create_graph=True)\n"
            "    loss + 0.5 * g.pow(2).sum()",
        ],
        3: [
            # the formula chosen for the whole tensor by a Python `if`
            "class LogCosh(torch.autograd.Function):\n"
            "    @staticmethod\n"
            "    def forward(ctx, x):\n"
            "        ctx.save_for_backward(x)\n"
            "        if x.abs().max() > 20:\n"
            "            return x.abs() - math.log(2)\n"
            "        return torch.log(torch.cosh(x))\n"
            "    @staticmethod\n"
            "    def backward(ctx, grad_output):\n"
            "        (x,) = ctx.saved_tensors\n"
            "        return grad_output * torch.tanh(x)",
            "class LogCosh(torch.autograd.Function):\n"
            "    @staticmethod\n"
            "    def forward(ctx, x):\n"
            "        ctx.save_for_backward(x)\n"
            "        return torch.log(torch.cosh(x))  # the naive forward: inf for |x| > 89 in float32\n\n"
            "    @staticmethod\n"
            "    def backward(ctx, grad_output):\n"
            "        (x,) = ctx.saved_tensors\n"
            "        return grad_output * torch.tanh(x)",
            "class LogCosh(torch.autograd.Function):\n"
            "    @staticmethod\n"
            "    def forward(ctx, x):\n"
            "        ctx.save_for_backward(x)\n"
            "        return torch.log(torch.cosh(x.double())).to(x.dtype)  # overflows later, at |x| > 710\n\n"
            "    @staticmethod\n"
            "    def backward(ctx, grad_output):\n"
            "        (x,) = ctx.saved_tensors\n"
            "        return grad_output * torch.tanh(x)",
            "class LogCosh(torch.autograd.Function):\n"
            "    @staticmethod\n"
            "    def forward(ctx, x):\n"
            "        ctx.save_for_backward(x)\n"
            "        return x.abs() - math.log(2)  # the large-|x| limit only\n\n"
            "    @staticmethod\n"
            "    def backward(ctx, grad_output):\n"
            "        (x,) = ctx.saved_tensors\n"
            "        return grad_output * torch.tanh(x)",
            "class LogCosh(torch.autograd.Function):\n"
            "    @staticmethod\n"
            "    def forward(ctx, x):\n"
            "        ctx.save_for_backward(x)\n"
            "        return torch.logaddexp(x, -x) - math.log(2)\n\n"
            "    @staticmethod\n"
            "    def backward(ctx, grad_output):\n"
            "        (x,) = ctx.saved_tensors\n"
            "        return torch.tanh(x)  # forgot grad_output",
            "class LogCosh(torch.autograd.Function):\n"
            "    @staticmethod\n"
            "    def forward(ctx, x):\n"
            "        ctx.save_for_backward(x)\n"
            "        return torch.logaddexp(x, -x) - math.log(2)\n\n"
            "    @staticmethod\n"
            "    def backward(ctx, grad_output):\n"
            "        (x,) = ctx.saved_tensors\n"
            "        return grad_output * torch.sinh(x) / torch.cosh(x)  # inf / inf = nan for large |x|",
            "def LogCosh(x):\n    return torch.logaddexp(x, -x) - math.log(2)",
            "class LogCosh(torch.autograd.Function):\n"
            "    @staticmethod\n"
            "    def forward(ctx, x):\n"
            "        return torch.logaddexp(x, -x) - math.log(2)\n\n"
            "    @staticmethod\n"
            "    def backward(ctx, grad_output):\n"
            "        (x,) = ctx.saved_tensors  # nothing was saved\n"
            "        return grad_output * torch.tanh(x)",
            "class LogCosh(torch.autograd.Function):\n"
            "    @staticmethod\n"
            "    def forward(ctx, x):\n"
            "        ctx.save_for_backward(x)\n"
            "        return (x.abs() + torch.log1p(torch.exp(-2 * x.abs())) - math.log(2)).sum()  # a scalar\n\n"
            "    @staticmethod\n"
            "    def backward(ctx, grad_output):\n"
            "        (x,) = ctx.saved_tensors\n"
            "        return grad_output * torch.tanh(x)",
        ],
        4: [
            "shapes = [(10, 7), (10, 3), (10, 2)]",
            "shapes = {}\n"
            "for name, module in net.named_modules():\n"
            "    if isinstance(module, nn.Linear):\n"
            "        module.register_forward_hook(lambda m, args, out: shapes.update({name: tuple(out.shape)}))\n"
            "net(batch)",
            "shapes = {}\n"
            "_handles = [m.register_forward_hook(lambda m, args, out, name=name: shapes.update({name: list(out.shape)}))\n"
            "            for name, m in net.named_modules() if isinstance(m, nn.Linear)]\n"
            "net(batch)\n"
            "for _h in _handles:\n"
            "    _h.remove()",
            "shapes = {}\n"
            "_handles = [m.register_forward_hook(lambda m, args, out, name=name: shapes.update({name: tuple(args[0].shape)}))\n"
            "            for name, m in net.named_modules() if isinstance(m, nn.Linear)]  # the input, not the output\n"
            "net(batch)\n"
            "for _h in _handles:\n"
            "    _h.remove()",
        ],
    },
    "03_modules": {
        1: [
            "n_params_ex1 = 1344  # the shared Linear counted twice",
            "n_params_ex1 = 1872  # the tied table counted twice",
            "n_params_ex1 = 2144  # both counted twice",
            "n_params_ex1 = 1056  # forgot the bias",
            "n_params_ex1 = '1072'",
            "n_params_ex1 = 1072.0",
        ],
        2: [
            "class Gated(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.experts = {'a': nn.Linear(8, 8), 'b': nn.Linear(8, 8)}\n"
            "        self.gate = torch.zeros(8, requires_grad=True)\n"
            "        self.scale = torch.tensor(2.0)\n\n"
            "    def forward(self, x):\n"
            "        g = torch.sigmoid(self.gate)\n"
            "        return self.scale * (g * self.experts['a'](x) + (1 - g) * self.experts['b'](x))\n\n"
            "gated = Gated()  # the bugs left in",
            "class Gated(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.experts = nn.ModuleDict({'a': nn.Linear(8, 8), 'b': nn.Linear(8, 8)})\n"
            "        self.gate = torch.zeros(8, requires_grad=True)\n"
            "        self.register_buffer('scale', torch.tensor(2.0))\n\n"
            "    def forward(self, x):\n"
            "        g = torch.sigmoid(self.gate)\n"
            "        return self.scale * (g * self.experts['a'](x) + (1 - g) * self.experts['b'](x))\n\n"
            "gated = Gated()  # the gate is still a plain tensor",
            "class Gated(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.experts = nn.ModuleDict({'a': nn.Linear(8, 8), 'b': nn.Linear(8, 8)})\n"
            "        self.gate = nn.Parameter(torch.zeros(8))\n"
            "        self.scale = nn.Parameter(torch.tensor(2.0))  # now the optimizer would change it\n\n"
            "    def forward(self, x):\n"
            "        g = torch.sigmoid(self.gate)\n"
            "        return self.scale * (g * self.experts['a'](x) + (1 - g) * self.experts['b'](x))\n\n"
            "gated = Gated()",
            "class Gated(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.experts = nn.ModuleDict({'a': nn.Linear(8, 8), 'b': nn.Linear(8, 8)})\n"
            "        self.gate = nn.Parameter(torch.zeros(8))\n"
            "        self.register_buffer('scale', torch.tensor(2.0), persistent=False)  # not saved\n\n"
            "    def forward(self, x):\n"
            "        g = torch.sigmoid(self.gate)\n"
            "        return self.scale * (g * self.experts['a'](x) + (1 - g) * self.experts['b'](x))\n\n"
            "gated = Gated()",
            "class Gated(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.experts = nn.ModuleDict({'a': nn.Linear(8, 8), 'b': nn.Linear(8, 8)})\n"
            "        self.gate = nn.Parameter(torch.zeros(8))\n"
            "        self.register_buffer('scale', torch.tensor(2.0))\n\n"
            "    def forward(self, x):\n"
            "        g = torch.sigmoid(self.gate)\n"
            "        self.scale * (g * self.experts['a'](x) + (1 - g) * self.experts['b'](x))  # forgot return\n\n"
            "gated = Gated()",
            "gated = nn.Linear(8, 8)  # one expert, not the model",
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
    "04_losses_optimizers": {
        1: [
            "huber_value = nn.HuberLoss()(torch.tensor([0.0, 0.0]), torch.tensor([1.0, -4.0])).item()  # default delta\n"
            "smooth_l1_value = nn.SmoothL1Loss()(torch.tensor([0.0, 0.0]), torch.tensor([1.0, -4.0])).item()",
            "huber_value, smooth_l1_value = '3.25', '1.625'",
            "huber_value, smooth_l1_value = 3.25, 3.25  # SmoothL1 taken to equal Huber",
            "huber_value, smooth_l1_value = 6.5, 3.25  # the sums, not the means",
            "huber_value = nn.HuberLoss(delta=2.0)(torch.tensor([0.0, 0.0]), torch.tensor([1.0, -4.0]))  # a tensor\n"
            "smooth_l1_value = 1.625",
        ],
        2: [
            "def distill_loss(student_logits, teacher_logits):  # the buggy version, unchanged\n"
            "    return F.kl_div(torch.softmax(student_logits, dim=1), torch.softmax(teacher_logits, dim=1))",
            "def distill_loss(student_logits, teacher_logits):  # log-probabilities, default reduction\n"
            "    return F.kl_div(F.log_softmax(student_logits, dim=1), torch.softmax(teacher_logits, dim=1))",
            "def distill_loss(student_logits, teacher_logits):  # batchmean, probabilities still\n"
            "    return F.kl_div(torch.softmax(student_logits, dim=1), torch.softmax(teacher_logits, dim=1),\n"
            "                    reduction='batchmean')",
            "def distill_loss(student_logits, teacher_logits):  # arguments swapped\n"
            "    return F.kl_div(F.log_softmax(teacher_logits, dim=1), torch.softmax(student_logits, dim=1),\n"
            "                    reduction='batchmean')",
            "def distill_loss(student_logits, teacher_logits):\n"
            "    F.kl_div(F.log_softmax(student_logits, dim=1), torch.softmax(teacher_logits, dim=1),\n"
            "             reduction='batchmean')  # forgot return",
            "def distill_loss(student_logits, teacher_logits):  # summed over the batch\n"
            "    return F.kl_div(F.log_softmax(student_logits, dim=1), torch.softmax(teacher_logits, dim=1),\n"
            "                    reduction='sum')",
            "def distill_loss(student_logits, teacher_logits):  # per sample, not averaged\n"
            "    return F.kl_div(F.log_softmax(student_logits, dim=1), torch.softmax(teacher_logits, dim=1),\n"
            "                    reduction='none').sum(dim=1)",
        ],
        3: [
            "def cross_entropy(logits, target):\n"
            "    probs = torch.exp(logits) / torch.exp(logits).sum(dim=1, keepdim=True)\n"
            "    return -torch.log(probs[torch.arange(len(target)), target]).mean()",
            "def cross_entropy(logits, target):\n"
            "    return (torch.logsumexp(logits, dim=1) - logits[:, target]).mean()",
            "def cross_entropy(logits, target):\n"
            "    return torch.logsumexp(logits, dim=1) - logits[torch.arange(len(target)), target]  # forgot the mean",
        ],
        4: [
            "epoch_lrs = []\n"
            "_p = nn.Parameter(torch.zeros(1))\n"
            "_o = torch.optim.SGD([_p], lr=0.1)\n"
            "_s = lr_scheduler.StepLR(_o, step_size=2, gamma=0.1)\n"
            "for _ in range(6):\n"
            "    _o.step()\n"
            "    _s.step()\n"
            "    epoch_lrs.append(_o.param_groups[0]['lr'])  # recorded after the step",
            "epoch_lrs = 0.001",
            "epoch_lrs = [0.1, 0.01, 0.01, 0.001, 0.001, 0.0001]  # decayed one epoch early",
            "epoch_lrs = [0.1, 0.1, 0.01, 0.01, 0.001]  # five epochs",
        ],
    },
    "05_data": {
        1: [
            "n_batches_250 = 250 // 64\nn_batches_250_drop = 250 // 64\nlast_batch_250 = 64",
            "n_batches_250 = 250 / 64\nn_batches_250_drop = 3\nlast_batch_250 = 58",
            "n_batches_250 = 4\nn_batches_250_drop = 4\nlast_batch_250 = 58  # drop_last forgotten",
            "n_batches_250 = 4\nn_batches_250_drop = 3\nlast_batch_250 = 64",
        ],
        2: [
            "def sorted_pad_collate(batch):\n"
            "    sequences, labels = zip(*batch)  # not sorted\n"
            "    lengths = torch.tensor([len(s) for s in sequences])\n"
            "    return pad_sequence(list(sequences), batch_first=True, padding_value=PAD), lengths, torch.tensor(labels)",
            "def sorted_pad_collate(batch):\n"
            "    batch = sorted(batch, key=lambda pair: len(pair[0]), reverse=True)\n"
            "    sequences, labels = zip(*batch)\n"
            "    padded = pad_sequence(list(sequences), batch_first=True, padding_value=PAD)  # forgot return",
            "def sorted_pad_collate(batch):\n"
            "    batch = sorted(batch, key=lambda pair: len(pair[0]), reverse=True)\n"
            "    sequences, labels = zip(*batch)\n"
            "    return pad_sequence(list(sequences), batch_first=True), [len(s) for s in sequences], list(labels)",
        ],
        3: [
            "feature_mean = table.tensors[0].mean(dim=0)\nfeature_std = table.tensors[0].std(dim=0)",
            "feature_mean = table.tensors[0][table_train.indices].mean()\nfeature_std = table.tensors[0][table_train.indices].std()",
            "feature_mean = table.tensors[0][table_train.indices].mean(dim=0).tolist()\n"
            "feature_std = table.tensors[0][table_train.indices].std(dim=0).tolist()",
        ],
        4: [
            "balanced_ex_sampler = WeightedRandomSampler(1.0 / torch.bincount(imbalanced_labels),\n"
            "                                            num_samples=len(imbalanced_labels))  # one weight per class",
            "_w = (1.0 / torch.bincount(imbalanced_labels).float())[imbalanced_labels]\n"
            "balanced_ex_sampler = WeightedRandomSampler(_w, num_samples=len(imbalanced_labels), replacement=False)",
            "_w = torch.bincount(imbalanced_labels).float()[imbalanced_labels]  # the count, not its inverse\n"
            "balanced_ex_sampler = WeightedRandomSampler(_w, num_samples=len(imbalanced_labels))",
            "balanced_ex_sampler = (1.0 / torch.bincount(imbalanced_labels).float())[imbalanced_labels]  # weights, no sampler",
            "_w = (1.0 / torch.bincount(imbalanced_labels).float())[imbalanced_labels]\n"
            "balanced_ex_sampler = WeightedRandomSampler(_w, num_samples=3)",
        ],
    },
    "06_training_loop": {
        1: ["epoch_loss_answer = (0.9 + 0.6 + 0.3) / 3", "epoch_loss_answer = '0.7235'"],
        2: [
            "stop_epoch = 8\nrestored_epoch = 8",
            "stop_epoch, restored_epoch = '7', '4'",
            "stop_epoch, restored_epoch = 6, 4  # patience counted from the best epoch itself",
        ],
        3: [
            "fixed_fit = buggy_fit  # all four bugs",
            "fixed_fit = None",
            # one bug fixed at a time, in the order the self-check reports them
            _fit_06(before="    model.train()\n", start="", zero="",
                    loss="F.cross_entropy(torch.softmax(model(inputs), dim=1), targets)"),
            _fit_06(before="    model.train()\n", start="", loss="F.cross_entropy(torch.softmax(model(inputs), dim=1), targets)"),
            _fit_06(before="    model.train()\n", start=""),
            # plausible half-fixes
            _fit_06(accumulate="loss.detach() * len(inputs)"),  # no graph, but a tensor in the history
            _fit_06(accumulate="loss * len(inputs)",
                    epoch_loss="(total_loss / len(train_loader.dataset)).item()"),  # a number, but every graph kept alive
            _fit_06(zero="", between="            optimizer.zero_grad()\n"),  # cleared before the step reads it
            _fit_06(loss="F.cross_entropy(torch.sigmoid(model(inputs)), targets)"),
            _fit_06().replace("        model.eval()\n", ""),  # train mode kept during validation
            _fit_06().replace("with torch.no_grad():", "if True:"),  # validation records a graph
            _fit_06(accumulate="loss.item()"),  # the sum of batch means divided by the number of samples
            _fit_06(accumulate="loss.item()", epoch_loss="total_loss / len(train_loader)"),  # mean of batch means
            _fit_06().replace("    return history", "    history  # forgot return"),
        ],
        4: [
            _acc_06(setup="", zero_after_step=False),  # the colleague's version as it is
            _acc_06(),  # zero_grad fixed, the short last group still divided by 32
            _acc_06(setup="", zero_after_step=False, loss=_ACC_06_GROUP_SIZE),  # zero_grad still after every micro-batch
            _acc_06(loss="F.mse_loss(model(inputs.to(device)), targets.to(device), reduction='sum') / len(inputs)"),  # 4x the gradient
            # the mean of the micro-batch means: right for full groups and for a last group of one micro-batch
            _acc_06(loss="F.mse_loss(model(inputs.to(device)), targets.to(device)) / min(accum_steps, len(loader) - i // accum_steps * accum_steps)"),
            _acc_06(loss="F.mse_loss(model(inputs.to(device)), targets.to(device)) / accum_steps",
                    step_when="(i + 1) % accum_steps == 0"),  # mean loss, and the remainder never stepped
            "def accumulated_epoch_sum(model, loader, optimizer, accum_steps):\n"
            "    for inputs, targets in loader:\n"
            "        F.mse_loss(model(inputs), targets).backward()\n"
            "    optimizer.step(accum_steps)",
        ],
    },
    "07_cnns": {
        1: ["predicted_shape = (1, 8, 16, 16)", "predicted_shape = (1, 8, 15.5, 15.5)", "predicted_shape = 8"],
        2: [
            # the colleague's block as it is: all four bugs
            "class FixedBlock(nn.Module):\n"
            "    def __init__(self, c_in, c_out, stride=1):\n"
            "        super().__init__()\n"
            "        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1)\n"
            "        self.bn1 = nn.BatchNorm2d(c_out)\n"
            "        self.conv2 = nn.Conv2d(c_out, c_out, 3, stride=stride, padding=1, bias=False)\n"
            "        self.bn2 = nn.BatchNorm2d(c_out)\n"
            "        self.shortcut = nn.Identity()\n\n"
            "    def forward(self, x):\n"
            "        out = F.relu(self.bn1(self.conv1(x)))\n"
            "        out = F.relu(self.bn2(self.conv2(out)))\n"
            "        return out + self.shortcut(x)",
            # projection added, but conv2 still strides
            "class FixedBlock(nn.Module):\n"
            "    def __init__(self, c_in, c_out, stride=1):\n"
            "        super().__init__()\n"
            "        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False)\n"
            "        self.bn1 = nn.BatchNorm2d(c_out)\n"
            "        self.conv2 = nn.Conv2d(c_out, c_out, 3, stride=stride, padding=1, bias=False)\n"
            "        self.bn2 = nn.BatchNorm2d(c_out)\n"
            "        self.shortcut = nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False)\n\n"
            "    def forward(self, x):\n"
            "        out = F.relu(self.bn1(self.conv1(x)))\n"
            "        return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))",
            # projection only when the channels change: fails for a stride-2 block with 16 -> 16
            "class FixedBlock(nn.Module):\n"
            "    def __init__(self, c_in, c_out, stride=1):\n"
            "        super().__init__()\n"
            "        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False)\n"
            "        self.bn1 = nn.BatchNorm2d(c_out)\n"
            "        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1, bias=False)\n"
            "        self.bn2 = nn.BatchNorm2d(c_out)\n"
            "        self.shortcut = nn.Identity() if c_in == c_out else nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False)\n\n"
            "    def forward(self, x):\n"
            "        out = F.relu(self.bn1(self.conv1(x)))\n"
            "        return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))",
            # shapes fixed, conv biases kept
            "class FixedBlock(ResidualBlock):\n"
            "    def __init__(self, c_in, c_out, stride=1):\n"
            "        super().__init__(c_in, c_out, stride)\n"
            "        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1)\n"
            "        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1)",
            # shapes and biases fixed, ReLU still before the sum
            "class FixedBlock(ResidualBlock):\n"
            "    def forward(self, x):\n"
            "        out = F.relu(self.bn1(self.conv1(x)))\n"
            "        return F.relu(self.bn2(self.conv2(out))) + self.shortcut(x)",
            # the sum forgotten
            "class FixedBlock(ResidualBlock):\n"
            "    def forward(self, x):\n"
            "        out = F.relu(self.bn1(self.conv1(x)))\n"
            "        return F.relu(self.bn2(self.conv2(out)))",
            # forward forgets to return
            "class FixedBlock(ResidualBlock):\n"
            "    def forward(self, x):\n"
            "        F.relu(self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))) + self.shortcut(x))",
            "FixedBlock = ResidualBlock(16, 16)  # an instance, not the class",
            # ReLU both before and after the sum: the branch can never be negative
            "class FixedBlock(ResidualBlock):\n"
            "    def forward(self, x):\n"
            "        out = F.relu(self.bn1(self.conv1(x)))\n"
            "        return F.relu(F.relu(self.bn2(self.conv2(out))) + self.shortcut(x))",
        ],
        3: [
            "standard_flops = 1 * 64 * 16 * 16 * 32 * 3 * 3\nseparable_flops = 1 * 32 * 16 * 16 * 3 * 3 + 1 * 64 * 16 * 16 * 32",
            "standard_flops = 2 * 64 * 16 * 16 * 32 * 3 * 3 / 1\nseparable_flops = 2 * 32 * 16 * 16 * 9 + 2 * 64 * 16 * 16 * 32",
        ],
        4: [
            "def max_pool_2x2(x):\n"
            "    n, c, h, w = x.shape\n"
            "    return x.reshape(n, c, h // 2, 2, w // 2, 2).amax(dim=(2, 4))",
            "def max_pool_2x2(x):\n"
            "    n, c, h, w = x.shape\n"
            "    x.reshape(n, c, h // 2, 2, w // 2, 2).amax(dim=(3, 5))  # forgot return",
            "def max_pool_2x2(x):\n    return x.view(x.shape[0], x.shape[1], -1, 4).amax(dim=3)",
            "def max_pool_2x2(x):\n"
            "    n, c, h, w = x.shape\n"
            "    return x.double().reshape(n, c, h // 2, 2, w // 2, 2).amax(dim=(3, 5))  # float64",
        ],
    },
    "08_rnns": {
        1: [
            "predicted_output = (4, 7, 20)\npredicted_h_n = (3, 4, 20)",
            "predicted_output = (np.int64(4), 7, 20)\npredicted_h_n = (6, 4, 20)",
            "predicted_output = (4, 7, 40)\npredicted_h_n = (4, 6, 20)",
            "predicted_output = '4, 7, 40'\npredicted_h_n = '6, 4, 20'",
        ],
        2: [
            "def gru_step(x_t, h, cell):\n"
            "    gi = x_t @ cell.weight_ih.T + cell.bias_ih\n"
            "    gh = h @ cell.weight_hh.T + cell.bias_hh\n"
            "    i_r, i_z, i_n = gi.chunk(3, dim=1)\n"
            "    h_r, h_z, h_n = gh.chunk(3, dim=1)\n"
            "    r = torch.sigmoid(i_r + h_r)\n"
            "    z = torch.sigmoid(i_z + h_z)\n"
            "    n = torch.tanh(i_n + r * h_n)\n"
            "    return z * n + (1 - z) * h  # z and 1 - z swapped",
            "def gru_step(x_t, h, cell):\n"
            "    gi = x_t @ cell.weight_ih + cell.bias_ih  # forgot .T\n"
            "    return gi",
        ],
        3: [
            "def last_real_step(output, lengths):\n    return output[:, -1]",
            "def last_real_step(output, lengths):\n    return output[torch.arange(output.shape[0]), lengths]",
            "def last_real_step(output, lengths):\n    return [output[i, n - 1] for i, n in enumerate(lengths)]",
        ],
        4: [
            "def lstm_param_count(input_size, hidden_size, num_layers, bidirectional):\n"
            "    d = 2 if bidirectional else 1\n"
            "    return d * num_layers * 4 * (hidden_size * (input_size + hidden_size) + 2 * hidden_size)",
            "def lstm_param_count(input_size, hidden_size, num_layers, bidirectional):\n"
            "    total = 4 * (hidden_size * (input_size + hidden_size) + hidden_size)  # forgot return",
            "def lstm_param_count(input_size, hidden_size, num_layers, bidirectional):\n"
            "    return 4 * hidden_size * (input_size + hidden_size + 2) / 1",
        ],
        5: [
            "def tbptt_epoch(model, streams, chunk, optimizer):\n"
            "    state, losses = None, []\n"
            "    for start in range(0, streams.shape[1], chunk):\n"
            "        x = streams[:, start : start + chunk]\n"
            "        y = streams[:, start : start + chunk]\n"
            "        if state is not None:\n"
            "            state = tuple(s.detach() for s in state)\n"
            "        logits, state = model(x)\n"
            "        loss = F.cross_entropy(logits.transpose(1, 2), y)\n"
            "        optimizer.zero_grad()\n"
            "        loss.backward()\n"
            "        optimizer.step()\n"
            "        losses.append(loss.item())\n"
            "    return sum(losses) / len(losses)  # both bugs left in",
            "def tbptt_epoch(model, streams, chunk, optimizer):\n"
            "    state, losses = None, []\n"
            "    for start in range(0, streams.shape[1], chunk):  # targets fixed, range not: the last chunk\n"
            "        x = streams[:, start : start + chunk]\n"
            "        y = streams[:, start + 1 : start + chunk + 1]\n"
            "        if state is not None:\n"
            "            state = tuple(s.detach() for s in state)\n"
            "        logits, state = model(x, state)\n"
            "        loss = F.cross_entropy(logits.transpose(1, 2), y)\n"
            "        optimizer.zero_grad()\n"
            "        loss.backward()\n"
            "        optimizer.step()\n"
            "        losses.append(loss.item())\n"
            "    return sum(losses) / len(losses)",
            "def tbptt_epoch(model, streams, chunk, optimizer):\n"
            "    state, losses = None, []\n"
            "    for start in range(0, streams.shape[1] - 1, chunk):\n"
            "        y = streams[:, start + 1 : start + chunk + 1]\n"
            "        x = streams[:, start : start + y.shape[1]]\n"
            "        logits, state = model(x)  # the state is not carried\n"
            "        loss = F.cross_entropy(logits.transpose(1, 2), y)\n"
            "        optimizer.zero_grad()\n"
            "        loss.backward()\n"
            "        optimizer.step()\n"
            "        losses.append(loss.item())\n"
            "    return sum(losses) / len(losses)",
            "def tbptt_epoch(model, streams, chunk, optimizer):\n"
            "    state, losses = None, []\n"
            "    for start in range(0, streams.shape[1] - 1, chunk):\n"
            "        y = streams[:, start + 1 : start + chunk + 1]\n"
            "        x = streams[:, start : start + y.shape[1]]\n"
            "        logits, state = model(x, state)  # carried but never detached\n"
            "        loss = F.cross_entropy(logits.transpose(1, 2), y)\n"
            "        optimizer.zero_grad()\n"
            "        loss.backward()\n"
            "        optimizer.step()\n"
            "        losses.append(loss.item())\n"
            "    return sum(losses) / len(losses)",
            "def tbptt_epoch(model, streams, chunk, optimizer):\n"
            "    state, losses = None, []\n"
            "    for start in range(0, streams.shape[1] - 1, chunk):\n"
            "        x = streams[:, start : start + chunk]\n"
            "        y = streams[:, start : start + chunk]  # inputs fixed, targets still unshifted\n"
            "        x, y = x[:, : streams.shape[1] - 1 - start], y[:, : streams.shape[1] - 1 - start]\n"
            "        if state is not None:\n"
            "            state = tuple(s.detach() for s in state)\n"
            "        logits, state = model(x, state)\n"
            "        loss = F.cross_entropy(logits.transpose(1, 2), y)\n"
            "        optimizer.zero_grad()\n"
            "        loss.backward()\n"
            "        optimizer.step()\n"
            "        losses.append(loss.item())\n"
            "    return sum(losses) / len(losses)",
            "def tbptt_epoch(model, streams, chunk, optimizer):\n"
            "    state = None\n"
            "    for start in range(0, streams.shape[1] - 1, chunk):\n"
            "        y = streams[:, start + 1 : start + chunk + 1]\n"
            "        x = streams[:, start : start + y.shape[1]]\n"
            "        if state is not None:\n"
            "            state = tuple(s.detach() for s in state)\n"
            "        logits, state = model(x, state)\n"
            "        loss = F.cross_entropy(logits.transpose(1, 2), y)\n"
            "        optimizer.zero_grad()\n"
            "        loss.backward()\n"
            "        optimizer.step()  # forgot to return the mean loss",
        ],
    },
    "09_attention": {
        1: [
            "out_shape, weights_shape = (2, 7, 12), (2, 3, 7, 7)",
            "out_shape, weights_shape = 'L, N, E', 'N, L, S'",
            "out_shape, weights_shape = nn.MultiheadAttention(12, 3)(*[torch.randn(7, 2, 12)] * 3)  # the tensors",
        ],
        2: [
            "def decoder_mask(lengths, L):\n"
            "    return torch.ones(L, L, dtype=torch.bool).tril()[None, None].expand(len(lengths), 1, L, L)",
            "def decoder_mask(lengths, L):\n"
            "    causal_part = torch.ones(L, L).tril()  # float, not bool\n"
            "    valid_keys = torch.arange(L)[None, :] < lengths[:, None]\n"
            "    return causal_part[None, None] & valid_keys[:, None, None, :]",
            "def decoder_mask(lengths, L):\n    mask = torch.ones(L, L, dtype=torch.bool).tril()  # forgot return",
            "def decoder_mask(lengths, L):\n"
            "    future = torch.ones(L, L, dtype=torch.bool).triu(1)\n"
            "    padding = torch.arange(L)[None, :] >= lengths[:, None]\n"
            "    return future[None, None] | padding[:, None, None, :]  # nn.MultiheadAttention's convention: True = blocked",
            "def decoder_mask(lengths, L):\n"
            "    valid = torch.arange(L)[None, :] < lengths[:, None]\n"
            "    return (valid[:, :, None] & valid[:, None, :])[:, None]  # padding only, no causal part",
        ],
        3: ["core_factor, proj_factor = 4, 4", "core_factor, proj_factor = '16', '4'"],
        4: [
            "is_equivariant, no_pos_acc = False, 0.3",
            "is_equivariant, no_pos_acc = True, '0.3'",
            "is_equivariant, no_pos_acc = True, 31.0  # a percentage",
        ],
        5: [
            "kv_numbers, mha_kv_numbers = 4800, 9600  # one block only",
            "kv_numbers, mha_kv_numbers = 9600, 9600  # GQA does not change the cache?",
            "kv_numbers, mha_kv_numbers = 19200, 38400  # counted 4 query heads, not 2 kv heads",
            "kv_numbers, mha_kv_numbers = '9600', '19200'",
            "kv_numbers, mha_kv_numbers = 9600.5, 19200",
        ],
    },
    "10_mixed_precision": {
        1: [
            "becomes_inf, becomes_zero = [65519.0, 65520.0], [1e-8, 6e-8]",
            "becomes_inf, becomes_zero = 65520.0, 1e-8",
            "becomes_inf, becomes_zero = [float('inf')], [0.0]  # what they become, not the inputs",
            "becomes_inf, becomes_zero = ['65520.0'], ['1e-8']",
            "becomes_inf, becomes_zero = [65520.0], [1e-8, 6e-8]",
        ],
        2: [
            "cpu_dtypes = (torch.float16, torch.float32, torch.float32)",
            "cpu_dtypes = torch.bfloat16",
            "cpu_dtypes = ('torch.bfloat16', 'torch.float32', 'torch.float32')",
            "cpu_dtypes = (torch.bfloat16, torch.bfloat16, torch.float32)",
            "cpu_dtypes = (torch.bfloat16, torch.float32, torch.bfloat16)",
        ],
        3: [
            "def amp_step(net, opt, scaler, xb, yb, max_norm):\n"
            "    opt.zero_grad(set_to_none=True)\n"
            "    with torch.autocast(device_type=device.type, dtype=torch.float16):\n"
            "        loss = F.mse_loss(net(xb), yb)\n"
            "    scaler.scale(loss).backward()\n"
            "    nn.utils.clip_grad_norm_(net.parameters(), max_norm)  # clips the scaled gradients\n"
            "    scaler.step(opt)\n"
            "    scaler.update()\n"
            "    return loss",
            "def amp_step(net, opt, scaler, xb, yb, max_norm):\n"
            "    loss = F.mse_loss(net(xb), yb)\n"
            "    scaler.scale(loss).backward()\n"
            "    scaler.step(opt)\n"
            "    scaler.unscale_(opt)  # too late\n"
            "    scaler.update()",
        ],
        4: ["final_scale = 1024.0", "final_scale = '2048'", "final_scale = torch.tensor([1024.0, 2048.0])"],
    },
    "11_checkpointing": {
        1: ["n_entries = n_parameters = 6", "n_entries, n_parameters = '9', '6'", "n_entries, n_parameters = 6, 4"],
        2: [
            "def to_builtin(metrics):\n"
            "    return [v.item() if hasattr(v, 'item') else v for v in metrics.values()]",
            "def to_builtin(metrics):\n"
            "    for key, value in metrics.items():\n"
            "        metrics[key] = value.item() if hasattr(value, 'item') else value  # forgot return",
            "def to_builtin(metrics):\n    return {key: value.tolist() for key, value in metrics.items()}",
        ],
        3: [
            "def prune_checkpoints(folder, keep):\n"
            "    files = sorted(Path(folder).iterdir())  # every file, best.pt included\n"
            "    for old in files[:-keep]:\n"
            "        old.unlink()\n"
            "    return [f.name for f in files[-keep:]]",
            "def prune_checkpoints(folder, keep):\n"
            "    for old in sorted(Path(folder).glob('epoch_*.pt'))[:-keep]:\n"
            "        old.unlink()  # forgot return",
            "def prune_checkpoints(folder, keep):\n"
            "    files = sorted(Path(folder).glob('epoch_*.pt'))\n"
            "    for old in files[:-keep]:\n"
            "        old.unlink()\n"
            "    return files[-keep:]  # paths, not names",
            "def prune_checkpoints(folder, keep):\n"
            "    files = sorted(Path(folder).glob('epoch_*.pt'))\n"
            "    for old in files[keep:]:  # deletes the newest\n"
            "        old.unlink()\n"
            "    return [f.name for f in files[:keep]]",
            "def prune_checkpoints(folder, keep):\n"
            "    files = sorted(Path(folder).glob('epoch_*.pt'))\n"
            "    for old in files[:-keep]:\n"
            "        old.unlink()\n"
            "    return [f.name for f in files]  # every name, deleted ones too",
        ],
        4: ["adam_floats = 1000 * 100 + 100", "adam_floats = 2 * 1000 * 100 * 1.0"],
    },
    "12_transfer_learning": {
        1: ["n_trainable = 128 * 3\nn_frozen = count(SmallCNN().backbone)[0]", "n_trainable, n_frozen = '387', 'all of them'"],
        2: [
            "def bn_eval_(module):\n    module.eval()\n    return module",
            "def bn_eval_(module):\n"
            "    for layer in module.children():  # only the direct children: misses nested BatchNorms\n"
            "        if isinstance(layer, nn.modules.batchnorm._BatchNorm):\n"
            "            layer.eval()\n"
            "    return module",
            "def bn_eval_(module):\n"
            "    for layer in module.modules():\n"
            "        if isinstance(layer, nn.BatchNorm2d):\n"
            "            layer.eval()\n"
            "    return module",
            "def bn_eval_(module):\n"
            "    for layer in module.modules():\n"
            "        if isinstance(layer, nn.modules.batchnorm._BatchNorm):\n"
            "            layer.eval()  # forgot return",
        ],
        3: [
            "ft_optimizer = torch.optim.AdamW(ft_model.parameters(), lr=1e-3)",
            "ft_optimizer = [\n"
            "    {'params': ft_model.backbone.parameters(), 'lr': 1e-4},\n"
            "    {'params': ft_model.head.parameters(), 'lr': 1e-3},\n"
            "]  # the groups, but no optimizer",
        ],
        4: [
            "resnet50_resize = 256\n"
            "golden_index = get_model_weights('resnet50').DEFAULT.meta['categories'].index('golden retriever')",
            "resnet50_resize = 232\ngolden_index = 'golden retriever'",
        ],
    },
    "13_debugging_performance": {
        1: ["predicted_grad = 10 * 2.0", "predicted_grad = [40.0, 40.0, 40.0]"],
        2: [
            "def mse_safe(pred, target):\n    return ((pred - target) ** 2).mean()",
            "def mse_safe(pred, target):\n    return ((pred.reshape(-1) - target.reshape(-1)) ** 2).mean()  # no size check",
            "def mse_safe(pred, target):\n"
            "    if pred.numel() != target.numel():\n"
            "        raise ValueError('sizes differ')\n"
            "    ((pred.reshape(-1) - target.reshape(-1)) ** 2).mean()  # forgot return",
        ],
        3: [
            "def masked_log(x):\n    return torch.where(x > 0, torch.log(x), torch.zeros_like(x))",
            "def masked_log(x):\n"
            "    safe_x = torch.where(x > 0, x, torch.ones_like(x))\n"
            "    torch.where(x > 0, torch.log(safe_x), torch.zeros_like(x))  # forgot return",
            "def masked_log(x):\n    return [math.log(v) if v > 0 else 0.0 for v in x.tolist()]",
            "def masked_log(x):\n"
            "    return torch.where(x > 0, torch.log(torch.where(x > 0, x, 1.0)), 0.0).detach()  # no gradient",
            "def masked_log(x):\n    return torch.log(x.clamp(min=1e-12))  # wrong values where x <= 0",
            "def masked_log(x):\n    return torch.log(x.abs() + 1)  # finite, but another function",
        ],
        4: ["predicted_kib = 16 * 64.0", "predicted_kib = '1360 KiB'"],
    },
    "14_deployment": {
        1: [
            "predicted_flags = (True, False)",
            "predicted_flags = 'no graph'",
            "predicted_flags = (False, False)",
            "predicted_flags = ('False', 'True')",
        ],
        2: [
            "def quantize_per_channel(w):\n"
            "    scale = w.abs().max() / 127  # one scale for the whole tensor\n"
            "    return torch.round(w / scale).clamp(-127, 127).to(torch.int8), scale",
            "def quantize_per_channel(w):\n"
            "    scales = w.abs().amax(dim=1, keepdim=True) / 127\n"
            "    return torch.round(w / scales).clamp(-127, 127)  # float, and no scales",
        ],
        3: ["tiny_exported = torch.export.export(tiny, (torch.randn(3, 4),))", "tiny_exported = tiny"],
        4: [
            "save_file(tiny.state_dict(), path('tiny.safetensors'), metadata={'arch': 'TinyNet'})\n"
            "restored = TinyNet()\n"
            "restored.load_state_dict(load_file(path('tiny.safetensors')))  # forgot eval()",
            "save_file(tiny.state_dict(), path('tiny.safetensors'), metadata={'arch': 'TinyNet'})\n"
            "restored = load_file(path('tiny.safetensors'))",
            "torch.save(tiny.state_dict(), path('tiny.safetensors'))  # a pickle under a safetensors name\n"
            "restored = TinyNet()\n"
            "restored.load_state_dict(tiny.state_dict())\n"
            "_ = restored.eval()",
            "save_file(tiny.state_dict(), path('tiny.safetensors'), metadata={'arch': 'TinyNet'})\n"
            "restored = TinyNet().eval()  # never loaded",
        ],
    },
    "15_distributed": {
        1: ["rank2_indices = [2, 5]", "rank2_indices = '2, 5, 1'", "rank2_indices = [2.0, 5.0, 1.0]"],
        2: ["global_batch = 32 * 32\nscaled_lr = 0.1", "global_batch, scaled_lr = '1024', '3.2'"],
        3: [
            "def strip_module_prefix(state_dict):\n"
            "    return {k.replace('module.', ''): v for k, v in state_dict.items()}",
            "def strip_module_prefix(state_dict):\n"
            "    return {key.replace('module', ''): value for key, value in state_dict.items()}",
            "def strip_module_prefix(state_dict):\n    return [key.removeprefix('module.') for key in state_dict]",
            "def strip_module_prefix(state_dict):\n"
            "    return {key.lstrip('module.'): value for key, value in state_dict.items()}  # strips characters, not a prefix",
            "def strip_module_prefix(state_dict):\n"
            "    return {key.removeprefix('module.'): value.detach().numpy() for key, value in state_dict.items()}",
            "def strip_module_prefix(state_dict):\n"
            "    state_dict = {key[7:]: value for key, value in state_dict.items()}  # forgot return",
            "def strip_module_prefix(state_dict):\n"
            "    return dict(enumerate(state_dict.values()))  # numbers as keys",
        ],
        4: ["per_rank = 4\nskipped = 0", "per_rank, skipped = 11 / 3, 11 % 3"],
    },
    "16_interview": {
        1: [
            "lstm_params = 4 * 20 * (10 + 20) + 4 * 20",
            "lstm_params = nn.LSTM(input_size=10, hidden_size=20).parameters()",
        ],
        2: [
            "def conv2d_flops(n, c_in, c_out, k, h_in, w_in, stride=1, padding=0):\n"
            "    return 2 * n * c_out * h_in * w_in * c_in * k * k  # the input size",
            "def conv2d_flops(n, c_in, c_out, k, h_in, w_in, stride=1, padding=0):\n"
            "    h_out = (h_in + 2 * padding - k) / stride + 1\n"
            "    w_out = (w_in + 2 * padding - k) / stride + 1\n"
            "    return 2 * n * c_out * h_out * w_out * c_in * k * k",
            "def conv2d_flops(n, c_in, c_out, k, h_in, w_in, stride=1, padding=0):\n"
            "    h_out = (h_in + 2 * padding - k) // stride + 1  # forgot the rest and return",
            "def conv2d_flops(n, c_in, c_out, k, h_in, w_in, stride=1, padding=0):\n"
            "    h_out = (h_in + 2 * padding - k) // stride + 1\n"
            "    w_out = (w_in + 2 * padding - k) // stride + 1\n"
            "    return n * c_out * h_out * w_out * c_in * k * k  # multiply-adds, not FLOPs",
            "def conv2d_flops(n, c_in, c_out, k, h_in, w_in, stride=1, padding=0):\n"
            "    return str(2 * n * c_out * h_in * w_in * c_in * k * k)",
        ],
        3: [
            "def causal_attention(q, k, v):\n"
            "    scores = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5\n"
            "    return scores.softmax(dim=-1) @ v  # no mask",
            "def causal_attention(q, k, v):\n"
            "    scores = q @ k.transpose(-2, -1)\n"
            "    mask = torch.ones(scores.shape[-2:], dtype=torch.bool).tril(1)\n"
            "    return scores.masked_fill(mask, float('-inf')).softmax(dim=-1) @ v",
            "def causal_attention(q, k, v):\n"
            "    scores = q @ k.transpose(-2, -1)  # not scaled\n"
            "    mask = torch.ones(scores.shape[-2:], dtype=torch.bool).triu(1)\n"
            "    return scores.masked_fill(mask, float('-inf')).softmax(dim=-1) @ v",
            "def causal_attention(q, k, v):\n"
            "    scores = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5\n"
            "    mask = torch.ones(scores.shape[-2:], dtype=torch.bool).triu(0)  # hides the diagonal too\n"
            "    return scores.masked_fill(mask, float('-inf')).softmax(dim=-1) @ v",
            "def causal_attention(q, k, v):\n"
            "    scores = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5\n"
            "    mask = torch.ones(scores.shape[-2:], dtype=torch.bool).triu(1)\n"
            "    return scores.masked_fill(mask, float('-inf')).softmax(dim=-2) @ v  # the wrong dimension",
        ],
        4: [
            "def predict(model, x):\n    with torch.inference_mode():\n        return model(x).argmax(dim=1)",
            "def predict(model, x):\n    model.eval()\n    with torch.inference_mode():\n        return model(x).argmax(dim=1)",
            "def predict(model, x):\n    model.eval()\n    return model(x).argmax(dim=1).tolist()",
            "def predict(model, x):\n"
            "    was_training = model.training\n"
            "    model.eval()\n"
            "    out = model(x).argmax(dim=1)  # records a graph\n"
            "    model.train(was_training)\n"
            "    return out",
            "def predict(model, x):\n"
            "    was_training = model.training\n"
            "    model.eval()\n"
            "    with torch.no_grad():\n"
            "        out = model(x).softmax(dim=1)  # probabilities, not indices\n"
            "    model.train(was_training)\n"
            "    return out",
        ],
    },
    "17_errata": {
        1: ["flat_features = 16 * 16 * 16", "flat_features = (1, 3600)"],
        2: [
            "def huber(pred, target, delta=1.0):\n"
            "    d = pred - target\n"
            "    return torch.where(d.abs() <= delta, d**2, delta * (d.abs() - delta)).mean()",
            "def huber(pred, target, delta=1.0):\n"
            "    d = pred - target\n"
            "    return torch.where(d.abs() <= delta, 0.5 * d**2, delta * (d.abs() - 0.5 * delta))  # forgot the mean",
        ],
        3: [
            "def epoch_mean_loss(model, loader):\n"
            "    losses = [F.mse_loss(model(xb), yb).item() for xb, yb in loader]\n"
            "    return sum(losses) / len(losses)",
            "def epoch_mean_loss(model, loader):\n"
            "    total = sum(F.mse_loss(model(xb), yb, reduction='sum') for xb, yb in loader)\n"
            "    return total / 70",
            "def epoch_mean_loss(model, loader):\n"
            "    total = 0.0\n"
            "    for xb, yb in loader:\n"
            "        total += F.mse_loss(model(xb), yb, reduction='sum').item()  # forgot return",
        ],
        4: [
            "clean = dict(raw)",
            "clean = raw['model'].state_dict()",
            "clean = [raw['model'].state_dict(), 3, 0.5, 0.6]",
        ],
    },
}


# Correct answers other than the solution, per chapter and exercise. The learner test runs each
# after that exercise's wrong answers, then the self-check again, which must pass: a check must
# not reject a right answer written another way (a float64 result, an np.int64, keys in another
# order, a reassigned global).
CORRECT: dict[str, dict[int, list[str]]] = {
    "01_tensors": {
        1: ["predicted_shape = [4, 2, 3]", "predicted_shape = tuple(np.array([4, 2, 3]))  # np.int64 entries"],
        2: ["predicted_sums = [3, 0, 3]", "predicted_sums = tuple(np.array([3, 0, 3], dtype=np.float32))"],
        3: [
            "def standardise(X):\n    X = X.double()  # float64: more precise, and as right\n"
            "    return (X - X.mean(dim=0)) / X.std(dim=0)",
            "def standardise(X):\n    mean, std = X.mean(dim=0, keepdim=True), X.std(dim=0, keepdim=True)\n"
            "    return (X - mean) / std",
        ],
        4: [
            "hwc = torch.arange(5 * 4 * 6 * 3, dtype=torch.float32).reshape(5, 4, 6, 3)\n"
            "hwc = hwc.permute(0, 3, 1, 2)  # reassigns the global\n"
            "flat = hwc.reshape(hwc.size(0), -1)",
            "hwc = torch.arange(5 * 4 * 6 * 3, dtype=torch.float32).reshape(5, 4, 6, 3)\n"
            "flat = torch.flatten(hwc.movedim(3, 1), start_dim=1).double()",
        ],
        5: [
            "predicted_class_sums, predicted_smallest = (8, 5, 4), (2, 1)  # tuples of ints",
            "predicted_class_sums = list(np.array([8, 5, 4], dtype=np.float32))\n"
            "predicted_smallest = [np.int64(2), 1.0]",
        ],
    },
    "02_autograd": {
        1: ["predicted_grad = 16  # an int", "predicted_grad = np.float32(16)"],
        2: [
            "def penalised_loss(w, x, y):\n"
            "    loss = ((w * x - y) ** 2).mean()\n"
            "    (g,) = torch.autograd.grad(loss, w, create_graph=True, retain_graph=True)  # both flags\n"
            "    return loss + 0.5 * (g * g).sum()",
            # torch.func.grad: the gradient is a differentiable function of w
            "def penalised_loss(w, x, y):\n"
            "    def loss_of(w):\n"
            "        return ((w * x - y) ** 2).mean()\n"
            "    g = torch.func.grad(loss_of)(w)\n"
            "    return loss_of(w) + 0.5 * g.pow(2).sum()",
        ],
        3: [
            "class LogCosh(torch.autograd.Function):\n"
            "    @staticmethod\n"
            "    def forward(ctx, x):\n"
            "        ctx.save_for_backward(x)\n"
            "        return torch.logaddexp(x, -x) - math.log(2)\n\n"
            "    @staticmethod\n"
            "    def backward(ctx, grad_output):\n"
            "        (x,) = ctx.saved_tensors\n"
            "        return grad_output * torch.tanh(x)",
            "class LogCosh(torch.autograd.Function):\n"
            "    @staticmethod\n"
            "    def forward(ctx, x):\n"
            "        y = x + torch.nn.functional.softplus(-2 * x) - math.log(2)\n"
            "        ctx.save_for_backward(torch.tanh(x))  # saves tanh x instead of x\n"
            "        return y.double()  # a float64 result\n\n"
            "    @staticmethod\n"
            "    def backward(ctx, grad_output):\n"
            "        (t,) = ctx.saved_tensors\n"
            "        return (grad_output * t).to(t.dtype)",
        ],
        4: [
            "net = nn.Sequential(nn.Linear(5, 7), nn.Tanh(), nn.Linear(7, 3), nn.Tanh(), nn.Linear(3, 2))  # re-run\n"
            "shapes = {}\n"
            "def _make_hook(name):\n"
            "    def hook(module, args, output):\n"
            "        shapes[name] = output.shape  # a torch.Size is a tuple\n"
            "    return hook\n"
            "_handles = {name: m.register_forward_hook(_make_hook(name)) for name, m in net.named_modules() if isinstance(m, nn.Linear)}\n"
            "net(batch)\n"
            "for _h in _handles.values():\n"
            "    _h.remove()",
        ],
    },
    "03_modules": {
        1: ["n_params_ex1 = np.int64(50 * 16 + 16 * 16 + 16)  # arithmetic and an np.int64 are fine"],
        2: [
            "class Gated(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.expert_a, self.expert_b = nn.Linear(8, 8), nn.Linear(8, 8)\n"
            "        self.register_parameter('gate', nn.Parameter(torch.zeros(8)))\n"
            "        self.register_buffer('scale', torch.full((1,), 2.0))\n\n"
            "    def forward(self, x):\n"
            "        g = torch.sigmoid(self.gate)\n"
            "        return self.scale * (g * self.expert_a(x) + (1 - g) * self.expert_b(x))\n\n"
            "gated = Gated()",
        ],
        4: [
            "n_state, n_param = 5, 2\n"
            "eval_out = torch.tensor([[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]], dtype=torch.float64) / (1 + 1e-5) ** 0.5",
            "n_state, n_param = np.int64(5), 2\neval_out = [[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]]",
        ],
    },
    "04_losses_optimizers": {
        3: [
            "def cross_entropy(logits, target):\n    logits = logits.double()\n"
            "    return -torch.log_softmax(logits, dim=1)[torch.arange(len(target)), target].mean()",
        ],
        1: [
            "huber_value, smooth_l1_value = 13 / 4, 3.25 / 2",
            "import numpy as np\nhuber_value, smooth_l1_value = np.float32(3.25), np.float32(1.625)",
        ],
        2: [
            "def distill_loss(student_logits, teacher_logits):\n"
            "    return F.kl_div(F.log_softmax(student_logits, dim=1), F.log_softmax(teacher_logits, dim=1),\n"
            "                    reduction='batchmean', log_target=True)",
            "def distill_loss(student_logits, teacher_logits):  # float64, summed then divided by N\n"
            "    s, t = student_logits.double(), teacher_logits.double()\n"
            "    return F.kl_div(F.log_softmax(s, dim=1), torch.softmax(t, dim=1), reduction='sum') / len(s)",
        ],
        4: [
            "epoch_lrs = [0.1 * 0.1 ** (epoch // 2) for epoch in range(6)]",
            "epoch_lrs = (0.1, 0.1, 1e-2, 1e-2, 1e-3, 1e-3)",
            "import numpy as np\nepoch_lrs = list(np.array([0.1, 0.1, 0.01, 0.01, 0.001, 0.001], dtype=np.float32))",
        ],
    },
    "05_data": {
        1: [
            "n_batches_250, n_batches_250_drop, last_batch_250 = -(-250 // 64), 250 // 64, 250 - 3 * 64",
            "import numpy as np\nn_batches_250, n_batches_250_drop, last_batch_250 = np.int64(4), np.int64(3), np.int64(58)",
        ],
        3: [
            "_rows = table.tensors[0][table_train.indices].double()  # float64: as right\n"
            "feature_mean, feature_std = _rows.mean(dim=0), _rows.std(dim=0)",
            "_rows = torch.stack([row for (row,) in table_train])\n"
            "feature_mean, feature_std = _rows.mean(0), _rows.std(0)",
        ],
        4: [
            "_counts = torch.bincount(imbalanced_labels)\n"
            "balanced_ex_sampler = WeightedRandomSampler((len(imbalanced_labels) / _counts[imbalanced_labels]).tolist(),\n"
            "                                            len(imbalanced_labels))",
            "_counts = torch.bincount(imbalanced_labels).double()\n"
            "balanced_ex_sampler = WeightedRandomSampler(1 / _counts[imbalanced_labels], num_samples=100, replacement=True,\n"
            "                                            generator=torch.Generator().manual_seed(0))",
        ],
    },
    "06_training_loop": {
        1: ["epoch_loss_answer = np.float32(49.2 / 68)"],
        2: [
            "losses = [0.90, 0.70, 0.62, 0.65, 0.61, 0.64, 0.66, 0.67, 0.60]\n"
            "restored_epoch = np.argmin(losses[:8])  # an np.int64\n"
            "stop_epoch = restored_epoch + 3",
        ],
        3: [
            _fit_06(zero="").replace("            optimizer.step()\n",
                                     "            optimizer.step()\n            model.zero_grad(set_to_none=True)\n"),
            _fit_06(accumulate="loss.detach() * len(inputs)",
                    epoch_loss="(total_loss / len(train_loader.dataset)).item()"),  # one .item() per epoch
            _fit_06(loss="F.nll_loss(torch.log_softmax(model(inputs), dim=1), targets)"),
            _fit_06(loss="nn.CrossEntropyLoss()(model(inputs), targets)").replace("torch.no_grad()", "torch.inference_mode()"),
            "def fixed_fit(model, train_loader, val_loader, optimizer, epochs):  # the chapter's own functions\n"
            "    history = []\n"
            "    for _ in range(epochs):\n"
            "        loss = train_one_epoch(model, train_loader, nn.CrossEntropyLoss(), optimizer)\n"
            "        history.append((loss, evaluate(model, val_loader, nn.CrossEntropyLoss(), multiclass_accuracy)[1]))\n"
            "    return history",
        ],
        4: [
            "def accumulated_epoch_sum(model, loader, optimizer, accum_steps):\n"
            "    model.train()\n"
            "    batches = list(loader)\n"
            "    optimizer.zero_grad()\n"
            "    for start in range(0, len(batches), accum_steps):\n"
            "        group = batches[start:start + accum_steps]\n"
            "        n = sum(len(targets) for _, targets in group)\n"
            "        for inputs, targets in group:\n"
            "            (F.mse_loss(model(inputs.to(device)), targets.to(device), reduction='sum') / n).backward()\n"
            "        optimizer.step()\n"
            "        optimizer.zero_grad()",
            # the group's summed gradient divided by its sample count just before the step
            "def accumulated_epoch_sum(model, loader, optimizer, accum_steps):\n"
            "    model.train()\n"
            "    optimizer.zero_grad()\n"
            "    seen = 0\n"
            "    for i, (inputs, targets) in enumerate(loader):\n"
            "        F.mse_loss(model(inputs.to(device)), targets.to(device), reduction='sum').backward()\n"
            "        seen += len(inputs)\n"
            "        if (i + 1) % accum_steps == 0 or (i + 1) == len(loader):\n"
            "            for p in model.parameters():\n"
            "                p.grad /= seen\n"
            "            optimizer.step()\n"
            "            optimizer.zero_grad()\n"
            "            seen = 0",
            # each micro-batch's mean, weighted by its share of the group
            _acc_06(loss=f"F.mse_loss(model(inputs.to(device)), targets.to(device)) * len(inputs) / {_ACC_06_GROUP}"),
        ],
    },
    "07_cnns": {
        1: ["predicted_shape = torch.Size([1, 8, 15, 15])", "predicted_shape = tuple(np.array([1, 8, 15, 15]))"],
        3: ["standard_flops = np.int64(2 * 64 * 16 * 16 * 32 * 9)\n"
            "separable_flops = np.int64(2 * 32 * 16 * 16 * 9 + 2 * 64 * 16 * 16 * 32)"],
        2: [
            # torchvision's block under the exercise's names, with a projection without BatchNorm
            "class FixedBlock(nn.Module):\n"
            "    def __init__(self, c_in, c_out, stride=1):\n"
            "        super().__init__()\n"
            "        self.conv1 = nn.Conv2d(c_in, c_out, kernel_size=3, stride=stride, padding=1, bias=False)\n"
            "        self.bn1 = nn.BatchNorm2d(c_out)\n"
            "        self.relu = nn.ReLU(inplace=True)\n"
            "        self.conv2 = nn.Conv2d(c_out, c_out, kernel_size=3, padding=1, bias=False)\n"
            "        self.bn2 = nn.BatchNorm2d(c_out)\n"
            "        needs_projection = stride > 1 or c_in != c_out\n"
            "        self.shortcut = nn.Conv2d(c_in, c_out, 1, stride, bias=False) if needs_projection else nn.Sequential()\n\n"
            "    def forward(self, x):\n"
            "        identity = self.shortcut(x)\n"
            "        out = self.relu(self.bn1(self.conv1(x)))\n"
            "        out = self.bn2(self.conv2(out))\n"
            "        out += identity\n"
            "        return self.relu(out)",
            "FixedBlock = ResidualBlock  # the section's block is the fix",
        ],
    },
    "08_rnns": {
        1: ["predicted_output = tuple(np.array([4, 7, 40]))\npredicted_h_n = torch.Size([6, 4, 20])"],
        2: [
            "import copy\n\n\ndef gru_step(x_t, h, cell):  # float64 result\n"
            "    return copy.deepcopy(cell).double()(x_t.double(), h.double())",
        ],
        3: ["def last_real_step(output, lengths):  # float64 result\n    return output.double()[torch.arange(len(lengths)), lengths - 1]"],
        4: [
            "def lstm_param_count(input_size, hidden_size, num_layers, bidirectional):  # numpy integer\n"
            "    d = 2 if bidirectional else 1\n"
            "    sizes = np.array([input_size] + [d * hidden_size] * (num_layers - 1))\n"
            "    return (d * 4 * (hidden_size * (sizes + hidden_size) + 2 * hidden_size)).sum()",
        ],
        5: [
            "def tbptt_epoch(model, streams, chunk, optimizer):\n"
            "    state, total, n = None, 0.0, 0\n"
            "    for start in range(0, streams.shape[1] - 1, chunk):\n"
            "        stop = min(start + chunk, streams.shape[1] - 1)\n"
            "        x, y = streams[:, start:stop], streams[:, start + 1 : stop + 1]\n"
            "        if state is not None:\n"
            "            state = (state[0].detach(), state[1].detach())\n"
            "        logits, state = model(x, state)\n"
            "        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))\n"
            "        optimizer.zero_grad()\n"
            "        loss.backward()\n"
            "        optimizer.step()\n"
            "        total, n = total + loss.item(), n + 1\n"
            "    return total / n",
        ],
    },
    "09_attention": {
        1: ["out_shape, weights_shape = torch.Size([7, 2, 12]), list(np.array([2, 7, 7]))"],
        2: [
            "def decoder_mask(lengths, L):\n"
            "    i, j = torch.arange(L)[:, None], torch.arange(L)[None, :]\n"
            "    return torch.stack([((j <= i) & (j < n)) for n in lengths.tolist()])[:, None]",
        ],
        3: ["core_factor = (1024 / 256) ** 2\nproj_factor = 1024 // 256", "core_factor, proj_factor = np.int64(16), np.float64(4.0)"],
        4: ["is_equivariant, no_pos_acc = np.bool_(True), torch.tensor(0.25)"],
        5: ["kv_numbers, mha_kv_numbers = torch.tensor(9600), np.int64(19200)", "kv_numbers, mha_kv_numbers = 9600.0, 19200.0"],
    },
    "10_mixed_precision": {
        1: [
            "_t = torch.tensor(values)\n_h = _t.half()\nbecomes_inf = _t[_h.isinf()]\nbecomes_zero = _t[_h == 0]",
            "_t = torch.tensor(values)  # float32 copies of the inputs, as tensors and floats\n"
            "becomes_inf = [_t[i] for i in range(len(values)) if torch.isinf(_t[i].half())]\n"
            "becomes_zero = [v for v in _t.tolist() if torch.tensor(v).half().item() == 0]",
        ],
        2: ["cpu_dtypes = [torch.bfloat16, torch.float32, torch.float32]"],
        4: ["final_scale = torch.tensor(2048.0)", "final_scale = np.float32(2048)"],
        3: [
            "def amp_step(net, opt, scaler, xb, yb, max_norm):\n"
            "    with torch.autocast(device_type=device.type, dtype=torch.float16):\n"
            "        loss = F.mse_loss(net(xb), yb)\n"
            "    scaler.scale(loss).backward()\n"
            "    scaler.unscale_(opt)\n"
            "    torch.nn.utils.clip_grad_norm_(net.parameters(), max_norm=max_norm)\n"
            "    scaler.step(opt)\n"
            "    scaler.update()\n"
            "    opt.zero_grad()\n"
            "    return loss.detach()",
        ],
    },
    "11_checkpointing": {
        1: ["n_entries, n_parameters = np.int64(9), np.int64(6)"],
        3: [
            "def prune_checkpoints(folder, keep):\n"
            "    files = sorted(Path(folder).glob('epoch_*.pt'), key=lambda p: int(p.stem.split('_')[1]))\n"
            "    for doomed in files[:-keep]:\n"
            "        os.remove(doomed)\n"
            "    return tuple(sorted(p.name for p in files[-keep:]))",
        ],
        4: ["adam_floats = 2.0 * (1000 * 100 + 100)  # a float", "adam_floats = np.int64(2 * 100100)"],
    },
    "12_transfer_learning": {
        1: [
            "_model = SmallCNN()\n_model.backbone.requires_grad_(False)\n_model.head = nn.Linear(128, 3)\n"
            "n_trainable, n_frozen = (np.int64(n) for n in count(_model))",
        ],
        3: [
            "ft_optimizer = torch.optim.AdamW([  # the head's group first\n"
            "    {'params': ft_model.head.parameters(), 'lr': 1e-3},\n"
            "    {'params': ft_model.backbone.parameters(), 'lr': 1e-4},\n"
            "])",
        ],
        2: [
            "def bn_eval_(module):\n"
            "    for _, layer in module.named_modules():\n"
            "        if isinstance(layer, (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)):\n"
            "            layer.train(False)\n"
            "    return module",
        ],
    },
    "13_debugging_performance": {
        1: ["predicted_grad = np.float32(60)"],
        2: [
            "def mse_safe(pred, target):\n"
            "    if pred.numel() != target.numel():\n"
            "        raise ValueError('sizes differ')\n"
            "    return F.mse_loss(pred.double().flatten(), target.double().flatten())  # float64",
        ],
        3: [
            "def masked_log(x):\n"
            "    safe = torch.where(x > 0, x, 1.0).double()\n"
            "    return torch.where(x > 0, safe.log(), 0.0)  # float64",
            "def masked_log(x):\n    return torch.where(x > 0, torch.log(x.clamp(min=1e-30)), 0.0)",
        ],
    },
    "14_deployment": {
        1: ["predicted_flags = [np.bool_(False), np.bool_(True)]"],
        4: [
            "save_file({k: v.contiguous() for k, v in tiny.state_dict().items()}, path('tiny.safetensors'),\n"
            "          metadata={'arch': 'TinyNet'})\n"
            "restored = TinyNet()\n"
            "restored.load_state_dict(load_file(path('tiny.safetensors')), strict=True)\n"
            "restored.train(False)",
        ],
    },
    "15_distributed": {
        1: ["rank2_indices = (2, 5, 1)", "rank2_indices = list(np.array([2, 5, 1]))  # np.int64 entries"],
        2: [
            "global_batch = 4 * 8 * 32\nscaled_lr = 0.1 * (global_batch // 32)",
            "global_batch = np.int64(1024)\nscaled_lr = np.float32(0.1) * 32  # float32",
        ],
        3: [
            "def strip_module_prefix(state_dict):\n"
            "    # keys in another order, values copied\n"
            "    return {(k[len('module.'):] if k.startswith('module.') else k): v.detach().clone()\n"
            "            for k, v in reversed(list(state_dict.items()))}",
        ],
        4: ["per_rank = len(eleven) // 3\nskipped = len(eleven) % 3"],
    },
    "16_interview": {
        1: ["lstm_params = np.int64(4 * 20 * (10 + 20 + 2))", "lstm_params = 2560.0"],
        2: [
            "def conv2d_flops(n, c_in, c_out, k, h_in, w_in, stride=1, padding=0):\n"
            "    h_out = np.floor_divide(h_in + 2 * padding - k, stride) + 1  # np.int64\n"
            "    w_out = np.floor_divide(w_in + 2 * padding - k, stride) + 1\n"
            "    return 2 * n * c_out * h_out * w_out * c_in * k * k",
        ],
        3: [
            "def causal_attention(q, k, v):\n"
            "    q, k, v = q.double(), k.double(), v.double()  # float64\n"
            "    L = q.shape[-2]\n"
            "    future = torch.arange(L)[None, :] > torch.arange(L)[:, None]\n"
            "    scores = (q @ k.transpose(-2, -1)) / q.shape[-1] ** 0.5\n"
            "    return torch.softmax(scores.masked_fill(future, float('-inf')), dim=-1) @ v",
        ],
        4: [
            "def predict(model, x):\n"
            "    mode = model.training\n"
            "    model.train(False)\n"
            "    with torch.no_grad():\n"
            "        out = model(x).argmax(dim=-1)\n"
            "    model.train(mode)\n"
            "    return out",
        ],
    },
}
