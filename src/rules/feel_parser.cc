// FEEL lexer and recursive-descent parser (DMN 1.5 grammar, section 10.3.1).
#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>

#include "rules/builtins.h"
#include "rules/feel.h"
#include "rules/feel_tree.h"

namespace waymark::rules::feel {
namespace {

enum class Tok { kEnd, kName, kNumber, kString, kPunct, kAt };
struct Token {
  Tok type;
  std::string text;
  size_t pos;
};

struct ParseError : std::runtime_error {
  ParseError(const std::string& m, size_t p) : std::runtime_error(m), pos(p) {}
  size_t pos;
};

bool NameStart(unsigned char c) { return std::isalpha(c) || c == '_' || c == '?' || c >= 0x80; }
bool NamePart(unsigned char c) { return NameStart(c) || std::isdigit(c); }

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::vector<Token> Lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (true) {
    while (i < s.size()) {
      if (std::isspace(static_cast<unsigned char>(s[i]))) {
        ++i;
      } else if (s.compare(i, 2, "//") == 0) {
        while (i < s.size() && s[i] != '\n') ++i;
      } else if (s.compare(i, 2, "/*") == 0) {
        size_t end = s.find("*/", i + 2);
        if (end == std::string_view::npos) throw ParseError("comment is not closed", i);
        i = end + 2;
      } else if (static_cast<unsigned char>(s[i]) == 0xC2 && i + 1 < s.size() &&
                 static_cast<unsigned char>(s[i + 1]) == 0xA0) {
        i += 2;  // no-break space
      } else {
        break;
      }
    }
    if (i >= s.size()) break;
    size_t start = i;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"') {
      std::string text;
      ++i;
      bool closed = false;
      while (i < s.size()) {
        char ch = s[i];
        if (ch == '"') {
          closed = true;
          ++i;
          break;
        }
        if (ch == '\\' && i + 1 < s.size()) {
          char e = s[i + 1];
          i += 2;
          switch (e) {
            case 'n':
              text += '\n';
              break;
            case 't':
              text += '\t';
              break;
            case 'r':
              text += '\r';
              break;
            case '"':
              text += '"';
              break;
            case '\'':
              text += '\'';
              break;
            case '\\':
              text += '\\';
              break;
            case 'u':
            case 'U': {
              size_t len = e == 'u' ? 4 : 6;
              if (i + len > s.size()) throw ParseError("bad \\u escape", i);
              uint32_t cp = std::stoul(std::string(s.substr(i, len)), nullptr, 16);
              i += len;
              // a UTF-16 surrogate pair written as two \u escapes
              if (cp >= 0xD800 && cp <= 0xDBFF && s.compare(i, 2, "\\u") == 0 &&
                  i + 6 <= s.size()) {
                uint32_t lo = std::stoul(std::string(s.substr(i + 2, 4)), nullptr, 16);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                  cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                  i += 6;
                }
              }
              AppendUtf8(text, cp);
              break;
            }
            default:
              text += '\\', text += e;
          }
          continue;
        }
        text += ch;
        ++i;
      }
      if (!closed) throw ParseError("string is not closed", start);
      out.push_back({Tok::kString, text, start});
    } else if (std::isdigit(c) || (c == '.' && i + 1 < s.size() &&
                                   std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      if (i + 1 < s.size() && s[i] == '.' && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      }
      if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
        if (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) {
          i = j;
          while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        }
      }
      out.push_back({Tok::kNumber, std::string(s.substr(start, i - start)), start});
    } else if (NameStart(c)) {
      while (i < s.size() && NamePart(static_cast<unsigned char>(s[i]))) ++i;
      out.push_back({Tok::kName, std::string(s.substr(start, i - start)), start});
    } else if (c == '@') {
      ++i;
      out.push_back({Tok::kAt, "@", start});
    } else {
      static const char* kTwo[] = {"..", "**", "<=", ">=", "!=", "->"};
      std::string text(1, static_cast<char>(c));
      for (const char* t : kTwo)
        if (s.compare(i, 2, t) == 0) text = t;
      if (std::string("()[]{},:.+-*/<>=!'").find(static_cast<char>(c)) == std::string::npos)
        throw ParseError(std::string("unexpected character '") + static_cast<char>(c) + "'", i);
      i += text.size();
      out.push_back({Tok::kPunct, text, start});
    }
  }
  out.push_back({Tok::kEnd, "", s.size()});
  return out;
}

std::vector<std::string> NameTokens(const std::string& name) {
  std::vector<std::string> out;
  try {
    for (auto& t : Lex(name))
      if (t.type != Tok::kEnd) out.push_back(t.type == Tok::kString ? "\"" + t.text : t.text);
  } catch (...) {
    out = {name};
  }
  return out;
}

std::shared_ptr<Node> Make(Op op, std::vector<NodePtr> kids = {}) {
  auto n = std::make_shared<Node>();
  n->op = op;
  n->kids = std::move(kids);
  return n;
}

class Parser {
 public:
  Parser(std::string_view text, Names& names) : toks_(Lex(text)), names_(names) {}

  NodePtr ParseWholeExpression() {
    NodePtr n = Expression();
    Expect(Tok::kEnd, "");
    return n;
  }

  NodePtr ParseWholeTests() {
    NodePtr n;
    if (IsPunct("-") && toks_[i_ + 1].type == Tok::kEnd) {
      n = Make(Op::kTestAny);
      ++i_;
    } else if (IsName("not") && IsPunct("(", 1)) {
      size_t save = i_;
      i_ += 2;
      try {
        NodePtr inner = PositiveTests();
        Expect(Tok::kPunct, ")");
        if (Peek().type != Tok::kEnd) throw ParseError("", 0);
        auto neg = std::make_shared<Node>(*inner);
        neg->negated = true;
        n = neg;
      } catch (const ParseError&) {
        i_ = save;
        n = PositiveTests();
      }
    } else {
      n = PositiveTests();
    }
    Expect(Tok::kEnd, "");
    return n;
  }

 private:
  const Token& Peek(size_t k = 0) const { return toks_[std::min(i_ + k, toks_.size() - 1)]; }
  bool IsPunct(const char* p, size_t k = 0) const {
    return Peek(k).type == Tok::kPunct && Peek(k).text == p;
  }
  bool IsName(const char* p, size_t k = 0) const {
    return Peek(k).type == Tok::kName && Peek(k).text == p;
  }
  [[noreturn]] void Fail(const std::string& what) const {
    const Token& t = Peek();
    std::string got = t.type == Tok::kEnd ? "the end" : "'" + t.text + "'";
    throw ParseError("expected " + what + " but found " + got, t.pos);
  }
  void Expect(Tok type, const char* text) {
    const Token& t = Peek();
    if (t.type != type || (type != Tok::kEnd && t.text != text))
      Fail(type == Tok::kEnd ? "the end of the expression" : std::string("'") + text + "'");
    ++i_;
  }

  // ---- Names --------------------------------------------------------------------------
  // The longest known name starting here; otherwise one name token.
  std::string Name() {
    const Token& t = Peek();
    if (t.type != Tok::kName) Fail("a name");
    const Names::Entry* best = nullptr;
    if (const auto* cands = names_.StartingWith(t.text)) {
      for (const auto& cand : *cands) {
        if (best && cand.tokens.size() <= best->tokens.size()) continue;
        bool match = true;
        for (size_t k = 0; k < cand.tokens.size() && match; ++k) {
          const Token& x = Peek(k);
          std::string text = x.type == Tok::kString ? "\"" + x.text : x.text;
          match = x.type != Tok::kEnd && text == cand.tokens[k];
        }
        if (match) best = &cand;
      }
    }
    if (!best) {
      ++i_;
      return t.text;
    }
    i_ += best->tokens.size();
    return best->name;
  }

  // A name being declared (context key, parameter, iteration variable): every token up to
  // one of `stops`, joined as written.
  std::string DeclaredName(std::initializer_list<const char*> stops) {
    if (Peek().type == Tok::kString) {
      std::string s = Peek().text;
      ++i_;
      return s;
    }
    std::string out;
    size_t startPos = Peek().pos, endPos = startPos;
    std::string joined;
    while (true) {
      const Token& t = Peek();
      if (t.type == Tok::kEnd) break;
      bool stop = false;
      for (const char* s : stops)
        if ((t.type == Tok::kPunct || t.type == Tok::kName) && t.text == s) stop = true;
      if (stop) break;
      if (!joined.empty() && t.pos > endPos) joined += ' ';
      joined += t.text;
      endPos = t.pos + t.text.size();
      ++i_;
    }
    (void)startPos;
    if (joined.empty()) Fail("a name");
    names_.Add(joined);
    return joined;
  }

  // ---- Expressions ----------------------------------------------------------------------
  // Nesting deeper than any model needs is refused rather than risking the stack.
  struct DepthGuard {
    explicit DepthGuard(Parser& p) : p_(p) {
      if (++p_.depth_ > 128) throw ParseError("expression nested too deeply", p_.Peek().pos);
    }
    ~DepthGuard() { --p_.depth_; }
    Parser& p_;
  };

  NodePtr Expression() {
    DepthGuard guard(*this);
    if (IsName("if")) return If();
    if (IsName("for")) return For();
    if ((IsName("some") || IsName("every")) && Peek(1).type == Tok::kName) return Quantified();
    if (IsName("function") && IsPunct("(", 1)) return FunctionDef();
    return Disjunction();
  }

  NodePtr If() {
    ++i_;
    NodePtr c = Expression();
    if (!IsName("then")) Fail("'then'");
    ++i_;
    NodePtr a = Expression();
    if (!IsName("else")) Fail("'else'");
    ++i_;
    NodePtr b = Expression();
    return Make(Op::kIf, {c, a, b});
  }

  NodePtr For() {
    ++i_;
    auto n = std::make_shared<Node>();
    n->op = Op::kFor;
    names_.Add("partial");
    while (true) {
      n->names.push_back(DeclaredName({"in"}));
      if (!IsName("in")) Fail("'in'");
      ++i_;
      NodePtr domain = Expression();
      if (IsPunct("..")) {
        ++i_;
        NodePtr end = Expression();
        domain = Make(Op::kIterRange, {domain, end});
      }
      n->kids.push_back(domain);
      if (IsPunct(",")) {
        ++i_;
        continue;
      }
      break;
    }
    if (!IsName("return")) Fail("'return'");
    ++i_;
    n->kids.push_back(Expression());
    n->usesPartial = Mentions(*n->kids.back(), "partial");
    return n;
  }

  // Whether `name` is used anywhere in `n` (the only way to see a variable: FEEL scoping is
  // lexical).
  static bool Mentions(const Node& n, const std::string& name) {
    if (n.op == Op::kName && n.name == name) return true;
    for (const auto& k : n.kids)
      if (k && Mentions(*k, name)) return true;
    return false;
  }

  NodePtr Quantified() {
    bool every = Peek().text == "every";
    ++i_;
    auto n = std::make_shared<Node>();
    n->op = every ? Op::kEvery : Op::kSome;
    while (true) {
      n->names.push_back(DeclaredName({"in"}));
      if (!IsName("in")) Fail("'in'");
      ++i_;
      n->kids.push_back(Expression());
      if (IsPunct(",")) {
        ++i_;
        continue;
      }
      break;
    }
    if (!IsName("satisfies")) Fail("'satisfies'");
    ++i_;
    n->kids.push_back(Expression());
    if (n->names.size() == 1) {
      const std::string& x = n->names[0];
      const Node& body = *n->kids.back();
      n->quantifiedContains =
          x != "?" && x != "list contains" && body.op == Op::kCall && !body.namedArgs &&
          body.kids.size() == 3 && body.kids[0]->op == Op::kName &&
          body.kids[0]->name == "list contains" && body.kids[2]->op == Op::kName &&
          body.kids[2]->name == x && !Mentions(*body.kids[1], x);
    }
    return n;
  }

  NodePtr FunctionDef() {
    i_ += 2;
    auto n = std::make_shared<Node>();
    n->op = Op::kFunctionDef;
    while (!IsPunct(")")) {
      std::string name = DeclaredName({":", ",", ")"});
      n->names.push_back(name);
      Type t;
      if (IsPunct(":")) {
        ++i_;
        t = TypeExpr();
      }
      n->paramTypes.push_back(t);
      if (IsPunct(","))
        ++i_;
      else if (!IsPunct(")"))
        Fail("',' or ')'");
    }
    ++i_;
    if (IsName("external")) {
      ++i_;
      n->external = true;
    }
    n->kids.push_back(Expression());
    auto info = std::make_shared<FunctionDefInfo>();
    info->signature.push_back(n->names);
    std::set<std::string> names;
    CollectNames(*n->kids[0], names);
    for (const auto& name : names) info->mentioned.emplace_back(Scope::NameHash(name), name);
    n->function = std::move(info);
    return n;
  }

  // The names `n` looks up: its names, and `?` where it evaluates unary tests.
  static void CollectNames(const Node& n, std::set<std::string>& out) {
    if (n.op == Op::kName) out.insert(n.name);
    if (n.op == Op::kTests || n.op == Op::kTestAny || n.op == Op::kTestCompare ||
        n.op == Op::kTestExpr)
      out.insert("?");
    for (const auto& k : n.kids)
      if (k) CollectNames(*k, out);
  }

  NodePtr Disjunction() {
    NodePtr l = Conjunction();
    while (IsName("or")) {
      ++i_;
      l = Make(Op::kOr, {l, Conjunction()});
    }
    return l;
  }
  NodePtr Conjunction() {
    NodePtr l = Comparison();
    while (IsName("and")) {
      ++i_;
      l = Make(Op::kAnd, {l, Comparison()});
    }
    return l;
  }

  NodePtr Comparison() {
    NodePtr l = Additive();
    while (true) {
      const Token& t = Peek();
      if (t.type == Tok::kPunct && (t.text == "=" || t.text == "!=" || t.text == "<" ||
                                    t.text == "<=" || t.text == ">" || t.text == ">=")) {
        static const std::pair<const char*, Op> kOps[] = {{"=", Op::kEq}, {"!=", Op::kNe},
                                                          {"<", Op::kLt}, {"<=", Op::kLe},
                                                          {">", Op::kGt}, {">=", Op::kGe}};
        Op op = Op::kEq;
        for (auto& [s, o] : kOps)
          if (t.text == s) op = o;
        ++i_;
        l = Make(op, {l, Additive()});
      } else if (IsName("between")) {
        ++i_;
        NodePtr lo = Additive();
        if (!IsName("and")) Fail("'and'");
        ++i_;
        l = Make(Op::kBetween, {l, lo, Additive()});
      } else if (IsName("in")) {
        ++i_;
        l = Make(Op::kIn, {l, InRhs()});
      } else if (IsName("instance") && IsName("of", 1)) {
        i_ += 2;
        auto n = Make(Op::kInstanceOf, {l});
        n->type = TypeExpr();
        l = n;
      } else {
        break;
      }
    }
    return l;
  }

  // After `in`: one positive unary test or a parenthesised list of them.
  NodePtr InRhs() {
    if (IsPunct("(")) {
      size_t save = i_;
      try {
        ++i_;
        NodePtr tests = PositiveTests();
        Expect(Tok::kPunct, ")");
        return tests;
      } catch (const ParseError&) {
        i_ = save;
      }
    }
    auto n = Make(Op::kTests, {PositiveTest()});
    return n;
  }

  NodePtr PositiveTests() {
    auto n = Make(Op::kTests);
    n->kids.push_back(PositiveTest());
    while (IsPunct(",")) {
      ++i_;
      n->kids.push_back(PositiveTest());
    }
    return n;
  }

  NodePtr PositiveTest() {
    const Token& t = Peek();
    if (t.type == Tok::kPunct && (t.text == "<" || t.text == "<=" || t.text == ">" ||
                                  t.text == ">=" || t.text == "=" || t.text == "!=")) {
      auto n = Make(Op::kTestCompare);
      n->name = t.text;
      ++i_;
      n->kids.push_back(Additive());
      return n;
    }
    usesQ_ = false;
    NodePtr e = Expression();
    auto n = Make(Op::kTestExpr, {e});
    n->usesQ = usesQ_;
    return n;
  }

  NodePtr Additive() {
    NodePtr l = Multiplicative();
    while (IsPunct("+") || IsPunct("-")) {
      Op op = Peek().text == "+" ? Op::kAdd : Op::kSub;
      ++i_;
      l = Make(op, {l, Multiplicative()});
    }
    return l;
  }
  NodePtr Multiplicative() {
    NodePtr l = Power();
    while (IsPunct("*") || IsPunct("/")) {
      Op op = Peek().text == "*" ? Op::kMul : Op::kDiv;
      ++i_;
      l = Make(op, {l, Power()});
    }
    return l;
  }
  NodePtr Power() {
    NodePtr l = Unary();
    while (IsPunct("**")) {
      ++i_;
      l = Make(Op::kPow, {l, Unary()});
    }
    return l;
  }
  NodePtr Unary() {
    DepthGuard guard(*this);
    if (IsPunct("-")) {
      ++i_;
      return Make(Op::kNeg, {Unary()});
    }
    if (IsPunct("+")) {
      ++i_;
      return Unary();
    }
    return Postfix();
  }

  NodePtr Postfix() {
    NodePtr n = Primary();
    while (true) {
      if (IsPunct(".") && Peek(1).type == Tok::kName) {
        ++i_;
        auto p = Make(Op::kPath, {n});
        p->name = Name();
        n = p;
      } else if (IsPunct("[") && !intervalEnd_) {
        ++i_;
        bool saved = intervalEnd_;
        intervalEnd_ = false;
        NodePtr f = Expression();
        intervalEnd_ = saved;
        Expect(Tok::kPunct, "]");
        n = Make(Op::kFilter, {n, f});
      } else if (IsPunct("(")) {
        n = Call(n);
      } else {
        break;
      }
    }
    return n;
  }

  NodePtr Call(NodePtr callee) {
    ++i_;
    auto n = Make(Op::kCall, {callee});
    bool named = false;
    if (!IsPunct(")")) {
      // Named arguments: `name words : value`.
      size_t k = 0;
      while (Peek(k).type == Tok::kName) ++k;
      named = k > 0 && IsPunct(":", k);
      while (true) {
        if (named) {
          std::string pname = DeclaredName({":"});
          Expect(Tok::kPunct, ":");
          n->names.push_back(pname);
        }
        n->kids.push_back(Expression());
        if (IsPunct(",")) {
          ++i_;
          continue;
        }
        break;
      }
    }
    Expect(Tok::kPunct, ")");
    n->namedArgs = named;
    return n;
  }

  NodePtr Literal(Value v) {
    auto n = Make(Op::kLiteral);
    n->value = std::move(v);
    return n;
  }

  NodePtr Primary() {
    const Token& t = Peek();
    switch (t.type) {
      case Tok::kNumber: {
        ++i_;
        auto d = ParseDecimal(t.text);
        if (!d) throw ParseError("bad number " + t.text, t.pos);
        return Literal(*d);
      }
      case Tok::kString:
        ++i_;
        return Literal(t.text);
      case Tok::kAt: {
        ++i_;
        if (Peek().type != Tok::kString) Fail("a string after @");
        Value v = ParseTemporal(Peek().text);
        if (v.IsNull()) throw ParseError("not a date, time or duration: " + Peek().text, t.pos);
        ++i_;
        return Literal(v);
      }
      case Tok::kName: {
        if (t.text == "true" || t.text == "false") {
          ++i_;
          return Literal(t.text == "true");
        }
        if (t.text == "null") {
          ++i_;
          return Literal(Value());
        }
        if (t.text == "?") usesQ_ = true;
        auto n = Make(Op::kName);
        n->name = Name();
        n->nameHash = Scope::NameHash(n->name);
        auto b = Builtins().find(n->name);
        if (b != Builtins().end()) {
          n->builtin = &b->second;
          n->inlineBuiltin = n->name == "list contains" ? InlineFn::kListContains
                             : n->name == "count"       ? InlineFn::kCount
                             : n->name == "not"         ? InlineFn::kNot
                             : n->name == "sort"        ? InlineFn::kSort
                                                        : InlineFn::kNone;
        }
        return n;
      }
      case Tok::kPunct:
        break;
      case Tok::kEnd:
        Fail("an expression");
    }
    if (t.text == "(" || t.text == "]") {
      // '(' expression ')' or an interval starting '(' / ']'.
      bool open = true;
      ++i_;
      NodePtr first = Expression();
      if (IsPunct("..")) return IntervalRest(first, open);
      if (t.text == "]") Fail("'..'");
      Expect(Tok::kPunct, ")");
      return first;
    }
    if (t.text == "[") {
      ++i_;
      if (IsPunct("]")) {
        ++i_;
        return Make(Op::kList);
      }
      NodePtr first = Expression();
      if (IsPunct("..")) return IntervalRest(first, false);
      auto list = Make(Op::kList, {first});
      while (IsPunct(",")) {
        ++i_;
        list->kids.push_back(Expression());
      }
      Expect(Tok::kPunct, "]");
      return list;
    }
    if (t.text == "{") {
      ++i_;
      auto ctx = Make(Op::kContext);
      while (!IsPunct("}")) {
        ctx->names.push_back(DeclaredName({":"}));
        Expect(Tok::kPunct, ":");
        ctx->kids.push_back(Expression());
        if (IsPunct(","))
          ++i_;
        else if (!IsPunct("}"))
          Fail("',' or '}'");
      }
      ++i_;
      return ctx;
    }
    if (t.text == "<" || t.text == "<=" || t.text == ">" || t.text == ">=") {
      // A unary comparison used as a range value (DMN 1.5: `x in < 10` is a test;
      // `< 10` alone is an open range).
      ++i_;
      auto n = Make(Op::kRange, {nullptr, Additive()});
      bool upper = t.text[0] == '<';
      bool inclusive = t.text.size() == 2;
      if (!upper) std::swap(n->kids[0], n->kids[1]);
      n->startIncluded = upper ? false : inclusive;
      n->endIncluded = upper ? inclusive : false;
      return n;
    }
    Fail("an expression");
  }

  NodePtr IntervalRest(NodePtr start, bool startOpen) {
    ++i_;  // '..'
    // In "[1..10[" the closing '[' ends the interval; it is not a filter on 10.
    bool saved = intervalEnd_;
    intervalEnd_ = true;
    NodePtr end = Expression();
    intervalEnd_ = saved;
    bool endIncluded;
    if (IsPunct("]"))
      endIncluded = true;
    else if (IsPunct(")") || IsPunct("["))
      endIncluded = false;
    else
      Fail("']', ')' or '['");
    ++i_;
    auto n = Make(Op::kRange, {start, end});
    n->startIncluded = !startOpen;
    n->endIncluded = endIncluded;
    return n;
  }

  // ---- Types ----------------------------------------------------------------------------
  Type TypeExpr() {
    Type t;
    std::string name;
    if (IsName("list") && IsPunct("<", 1)) {
      i_ += 2;
      t.kind = Type::Kind::kList;
      t.params.push_back(TypeExpr());
      Expect(Tok::kPunct, ">");
      return t;
    }
    if (IsName("range") && IsPunct("<", 1)) {
      i_ += 2;
      t.kind = Type::Kind::kRange;
      t.params.push_back(TypeExpr());
      Expect(Tok::kPunct, ">");
      return t;
    }
    if (IsName("context") && IsPunct("<", 1)) {
      i_ += 2;
      t.kind = Type::Kind::kContext;
      while (!IsPunct(">")) {
        std::string f = DeclaredName({":"});
        Expect(Tok::kPunct, ":");
        t.fields.push_back({f, TypeExpr()});
        if (IsPunct(","))
          ++i_;
        else if (!IsPunct(">"))
          Fail("',' or '>'");
      }
      ++i_;
      return t;
    }
    if (IsName("function") && IsPunct("<", 1)) {
      i_ += 2;
      t.kind = Type::Kind::kFunction;
      while (!IsPunct(">")) {
        t.params.push_back(TypeExpr());
        if (IsPunct(","))
          ++i_;
        else if (!IsPunct(">"))
          Fail("',' or '>'");
      }
      ++i_;
      Expect(Tok::kPunct, "->");
      t.params.push_back(TypeExpr());
      return t;
    }
    // Built-in type names may have several words: "date and time", "days and time duration".
    static const char* kMulti[] = {"years and months duration", "days and time duration",
                                   "date and time"};
    for (const char* m : kMulti) {
      auto toks = NameTokens(m);
      bool ok = true;
      for (size_t k = 0; k < toks.size() && ok; ++k) ok = Peek(k).text == toks[k];
      if (ok) {
        i_ += toks.size();
        return ParseTypeName(m);
      }
    }
    if (Peek().type != Tok::kName) Fail("a type");
    name = Peek().text;
    ++i_;
    while (IsPunct(".") && Peek(1).type == Tok::kName) {  // qualified item definition names
      name += "." + Peek(1).text;
      i_ += 2;
    }
    return ParseTypeName(name);
  }

  std::vector<Token> toks_;
  size_t i_ = 0;
  Names& names_;
  bool usesQ_ = false;
  int depth_ = 0;
  bool intervalEnd_ = false;
};

}  // namespace

Names::Names() {
  for (const auto& [name, v] : Builtins()) Add(name);
  for (const char* p : {"time offset", "start included", "end included", "date and time",
                        "years and months duration", "days and time duration"})
    Add(p);
}

void Names::Add(const std::string& name) {
  if (!all_.insert(name).second) return;
  auto toks = NameTokens(name);
  if (toks.size() < 2) return;
  auto& v = byFirst_[toks[0]];
  v.push_back(Entry{std::move(toks), name});
}

const std::vector<Names::Entry>* Names::StartingWith(const std::string& first) const {
  auto it = byFirst_.find(first);
  return it == byFirst_.end() ? nullptr : &it->second;
}

Type ParseTypeName(std::string_view text) {
  std::string s(text);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(0, 1);
  // Strip a "feel:" or "FEEL:" prefix used by older models.
  if (s.rfind("feel:", 0) == 0 || s.rfind("FEEL:", 0) == 0) s = s.substr(5);
  using K = Type::Kind;
  static const std::pair<const char*, K> kTypes[] = {
      {"Any", K::kAny},
      {"Null", K::kNull},
      {"boolean", K::kBoolean},
      {"number", K::kNumber},
      {"string", K::kString},
      {"date", K::kDate},
      {"time", K::kTime},
      {"date and time", K::kDateTime},
      {"dateTime", K::kDateTime},
      {"days and time duration", K::kDayTimeDuration},
      {"dayTimeDuration", K::kDayTimeDuration},
      {"years and months duration", K::kYearMonthDuration},
      {"yearMonthDuration", K::kYearMonthDuration},
      {"list", K::kList},
      {"context", K::kContext},
      {"range", K::kRange},
      {"function", K::kFunction},
  };
  Type t;
  t.kind = K::kUnknown;
  for (auto& [n, k] : kTypes)
    if (s == n) t.kind = k;
  if (t.kind == K::kUnknown && (s.find('<') != std::string::npos)) {
    Names names;
    try {
      // list<number> etc. through the type grammar
      std::string expr = "null instance of " + s;
      Parser p(expr, names);
      auto n = p.ParseWholeExpression();
      if (n->op == Op::kInstanceOf) return n->type;
    } catch (...) {
    }
  }
  return t;
}

namespace {

// Numbers the names of an expression that none of its own frames binds (free names), when
// the expression iterates (for, some, every, filters), so that each is looked up once per
// evaluation. Names inside filters (whose items may be contexts, with entries of any name)
// and function bodies (evaluated in their closure) are left alone.
class FreeNames {
 public:
  explicit FreeNames(Node& root) : root_(root) {}
  void Number() {
    if (!Iterates(root_)) return;
    Walk(root_, false);
    root_.freeCount = static_cast<int>(slots_.size());
  }

 private:
  static bool Iterates(const Node& n) {
    if (n.op == Op::kFor || n.op == Op::kSome || n.op == Op::kEvery || n.op == Op::kFilter)
      return true;
    for (const auto& k : n.kids)
      if (k && Iterates(*k)) return true;
    return false;
  }
  // Nodes are built by this parse and not shared yet: numbering them is safe.
  static Node& Mutable(const NodePtr& p) { return const_cast<Node&>(*p); }
  void WalkKid(const NodePtr& k, bool dynamic) {
    if (k) Walk(Mutable(k), dynamic);
  }
  void Bind(const std::string& name, const Node* binder = nullptr, int index = 0) {
    bound_.push_back({name, binder, index, dynamic_});
  }
  void Walk(Node& n, bool dynamic) {
    size_t mark = bound_.size();
    int dynamicMark = dynamic_;
    switch (n.op) {
      case Op::kName: {
        auto it = std::find_if(bound_.rbegin(), bound_.rend(),
                               [&](const Binding& b) { return b.name == n.name; });
        if (it == bound_.rend()) {
          if (!dynamic) {
            auto slot = std::find(slots_.begin(), slots_.end(), n.name);
            n.freeSlot = static_cast<int>(slot - slots_.begin());
            if (slot == slots_.end()) slots_.push_back(n.name);
            n.slotOwner = &root_;
          }
        } else if (it->binder && it->dynamic == dynamic_) {
          // The variable of a for, some or every, with no frame of unknown names between.
          n.boundBy = it->binder;
          n.boundIndex = it->index;
        }
        break;
      }
      case Op::kFor:
      case Op::kSome:
      case Op::kEvery:
        for (size_t k = 0; k < n.names.size(); ++k) {
          WalkKid(n.kids[k], dynamic);
          Bind(n.names[k], &n, static_cast<int>(k));
        }
        if (n.op == Op::kFor) Bind("partial");
        WalkKid(n.kids.back(), dynamic);
        break;
      case Op::kFilter:
        WalkKid(n.kids[0], dynamic);
        ++dynamic_;  // each item's frame has the entries of the item, when it is a context
        Bind("item");
        WalkKid(n.kids[1], true);
        break;
      case Op::kFunctionDef:
        ++dynamic_;  // its body runs in its closure's frames
        for (const auto& name : n.names) Bind(name);
        for (const auto& k : n.kids) WalkKid(k, true);
        break;
      case Op::kContext:
      case Op::kTests:
      case Op::kTestAny:
      case Op::kTestCompare:
      case Op::kTestExpr:
        for (const auto& name : n.names) Bind(name);
        Bind("?");
        for (const auto& k : n.kids) WalkKid(k, dynamic);
        break;
      default:
        for (const auto& k : n.kids) WalkKid(k, dynamic);
    }
    bound_.resize(mark);
    dynamic_ = dynamicMark;
  }

  struct Binding {
    std::string name;
    const Node* binder;  // the for, some or every whose variable it is, or null
    int index;           // which of its variables
    int dynamic;         // frames of unknown names around it
  };
  Node& root_;
  std::vector<Binding> bound_;  // bound by the frames around the node being walked
  int dynamic_ = 0;
  std::vector<std::string> slots_;
};

}  // namespace

Result<NodePtr> ParseExpression(std::string_view text, Names& names) {
  try {
    Parser p(text, names);
    NodePtr n = p.ParseWholeExpression();
    FreeNames(const_cast<Node&>(*n)).Number();
    return n;
  } catch (const ParseError& e) {
    return Status::Invalid("FEEL: " + std::string(e.what()) + " at position " +
                           std::to_string(e.pos + 1) + " of \"" + std::string(text) + "\"");
  } catch (const std::exception& e) {
    return Status::Invalid("FEEL: " + std::string(e.what()));
  }
}

Result<NodePtr> ParseUnaryTests(std::string_view text, Names& names) {
  try {
    std::string_view t = text;
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
    if (t.empty()) return NodePtr(Make(Op::kTestAny));
    Parser p(text, names);
    NodePtr tests = p.ParseWholeTests();
    if (auto fast = CompileFastTests(*tests)) {
      auto n = std::make_shared<Node>(*tests);
      n->fast = std::move(fast);
      tests = n;
    }
    return tests;
  } catch (const ParseError& e) {
    return Status::Invalid("FEEL unary tests: " + std::string(e.what()) + " at position " +
                           std::to_string(e.pos + 1) + " of \"" + std::string(text) + "\"");
  } catch (const std::exception& e) {
    return Status::Invalid("FEEL unary tests: " + std::string(e.what()));
  }
}

}  // namespace waymark::rules::feel
