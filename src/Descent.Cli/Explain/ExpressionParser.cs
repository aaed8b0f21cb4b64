using System.Globalization;

namespace Descent.Cli.Explain;

/// <summary>
/// Recursive descent over this grammar, loosest binding first:
/// <code>
/// sum     := product (('+' | '-') product)*
/// product := unary (('*' | '/') unary)*
/// unary   := ('-' | '+') unary | power
/// power   := primary ('^' unary)?          right-associative: 2^3^2 = 2^(3^2); -x^2 = -(x^2)
/// primary := number | name | function '(' sum ')' | '(' sum ')'
/// </code>
/// </summary>
internal sealed class ExpressionParser
{
    /// <summary>The functions <c>explain</c> understands, each one Descent op.</summary>
    public static readonly IReadOnlyList<string> Functions =
        ["sigmoid", "tanh", "relu", "exp", "log", "sqrt", "square", "abs", "sin", "cos"];

    private readonly string _source;
    private int _pos;

    private ExpressionParser(string source) => _source = source;

    public static Expr Parse(string source)
    {
        var parser = new ExpressionParser(source);
        var expr = parser.Sum();
        parser.SkipSpace();
        if (parser._pos < source.Length)
            throw parser.Error(source[parser._pos] == ')' ? "unmatched ')'" : $"unexpected '{source[parser._pos]}'; expected an operator + - * / ^");
        return expr;
    }

    private Expr Sum()
    {
        var left = Product();
        while (Accept('+') || Accept('-'))
        {
            string op = _source[_pos - 1].ToString();
            var right = Product();
            left = new Expr(op, [left, right], left.Start, right.End);
        }
        return left;
    }

    private Expr Product()
    {
        var left = Unary();
        while (Accept('*') || Accept('/'))
        {
            string op = _source[_pos - 1].ToString();
            var right = Unary();
            left = new Expr(op, [left, right], left.Start, right.End);
        }
        return left;
    }

    private Expr Unary()
    {
        SkipSpace();
        int start = _pos;
        if (Accept('+'))
            return Unary();
        if (Accept('-'))
        {
            var operand = Unary();
            return new Expr("neg", [operand], start, operand.End);
        }
        return Power();
    }

    private Expr Power()
    {
        var baseExpr = Primary();
        if (!Accept('^'))
            return baseExpr;
        var exponent = Unary();
        // A constant exponent is part of the op (x^2 is one node, as micrograd's x**2): the exponent is
        // not a quantity anyone wants a gradient for, and d(x^c)/dc = x^c·ln x is NaN for x < 0.
        double? constant = exponent.Op switch
        {
            "const" => exponent.Number,
            "neg" when exponent.Args[0].Op == "const" => -exponent.Args[0].Number,
            _ => null,
        };
        return constant is double c
            ? new Expr("^n", [baseExpr], baseExpr.Start, exponent.End, Number: c)
            : new Expr("^", [baseExpr, exponent], baseExpr.Start, exponent.End);
    }

    private Expr Primary()
    {
        SkipSpace();
        int start = _pos;
        if (_pos >= _source.Length)
            throw Error("the expression ends too early; expected a number, a name or '('");
        char c = _source[_pos];
        if (Accept('('))
        {
            var inner = Sum();
            Expect(')', "expected ')' to close the '(' at column " + (start + 1));
            return inner;
        }
        if (char.IsAsciiDigit(c) || c == '.')
            return Number();
        if (char.IsAsciiLetter(c) || c == '_')
            return NameOrCall();
        // Python's power operator reads here as '*' followed by a second '*'.
        if (c == '*' && _pos > 0 && _source[_pos - 1] == '*')
            throw Error("'**' is Python's power; here a power is written with ^, as in 2^3", _pos - 1);
        throw Error($"unexpected '{c}'; expected a number, a name or '('");
    }

    private Expr Number()
    {
        int start = _pos;
        while (_pos < _source.Length && (char.IsAsciiDigit(_source[_pos]) || _source[_pos] == '.'))
            _pos++;
        // An exponent only when digits follow, so "2e" stays an error rather than swallowing a name.
        if (_pos < _source.Length && _source[_pos] is 'e' or 'E')
        {
            int save = _pos++;
            if (_pos < _source.Length && _source[_pos] is '+' or '-')
                _pos++;
            if (_pos < _source.Length && char.IsAsciiDigit(_source[_pos]))
                while (_pos < _source.Length && char.IsAsciiDigit(_source[_pos]))
                    _pos++;
            else
                _pos = save;
        }
        string text = _source[start.._pos];
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double value))
        {
            _pos = start;
            throw Error($"'{text}' is not a number");
        }
        return new Expr("const", [], start, _pos, Number: value);
    }

    private Expr NameOrCall()
    {
        int start = _pos;
        while (_pos < _source.Length && (char.IsAsciiLetterOrDigit(_source[_pos]) || _source[_pos] == '_'))
            _pos++;
        string name = _source[start.._pos];
        int afterName = _pos;
        SkipSpace();
        bool call = _pos < _source.Length && _source[_pos] == '(';
        _pos = afterName;
        bool known = Functions.Contains(name);
        if (!call)
        {
            if (known)
                throw Error($"'{name}' is a function; write {name}(...)", start);
            return new Expr("var", [], start, afterName, Name: name);
        }
        if (!known)
            throw Error($"unknown function '{name}'; known: {string.Join(", ", Functions)}", start);
        Accept('(');
        var argument = Sum();
        SkipSpace();
        if (_pos < _source.Length && _source[_pos] == ',')
            throw Error($"{name} takes one argument");
        Expect(')', $"expected ')' to close {name}(");
        return new Expr(name, [argument], start, _pos);
    }

    private bool Accept(char c)
    {
        SkipSpace();
        if (_pos < _source.Length && _source[_pos] == c)
        {
            _pos++;
            return true;
        }
        return false;
    }

    private void Expect(char c, string problem)
    {
        if (!Accept(c))
            throw Error(problem);
    }

    private void SkipSpace()
    {
        while (_pos < _source.Length && char.IsWhiteSpace(_source[_pos]))
            _pos++;
    }

    private ExpressionSyntaxException Error(string problem, int? at = null) => new(_source, (at ?? _pos) + 1, problem);
}
