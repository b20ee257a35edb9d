// FEEL values (DMN 1.5 chapter 10): null, boolean, decimal number, string, the four temporal
// types, both durations, list, context, range and function. Values are immutable; strings,
// lists and contexts are shared by pointer so copying a value is cheap and safe across threads.
#pragma once

#include <boost/multiprecision/cpp_dec_float.hpp>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace waymark::rules {

// 34 significant decimal digits (IEEE 754 decimal128), as FEEL requires: 1.1 + 1.3 = 2.4.
using Decimal = boost::multiprecision::number<boost::multiprecision::cpp_dec_float<34>,
                                              boost::multiprecision::et_off>;

// Parses a FEEL/XSD decimal literal ("-12.5", ".5", "1e3" for XSD). nullopt when not a number.
std::optional<Decimal> ParseDecimal(std::string_view text);
// Plain notation, no exponent, no trailing zeros, rounded to 34 significant digits.
std::string FormatDecimal(const Decimal& d);
bool IsInteger(const Decimal& d);
// The integer value when `d` is a whole number that fits; nullopt otherwise.
std::optional<int64_t> ToInt64(const Decimal& d);

struct FDate {
  int64_t year = 1970;
  int month = 1;
  int day = 1;
};
struct FTime {
  int hour = 0, minute = 0, second = 0;
  int64_t nanos = 0;                 // fraction of the second
  std::optional<int> offsetSeconds;  // "Z" is 0; none = local time
  std::string zone;                  // IANA id after '@', if given
};
struct FDateTime {
  FDate date;
  FTime time;
};
struct DayTimeDuration {
  Decimal seconds;  // may be fractional and negative
};
struct YearMonthDuration {
  int64_t months = 0;
};

class Value;
using List = std::vector<Value>;
struct Context;
struct Range;
class Function;

class Value {
 public:
  enum class Kind {
    kNull,
    kBoolean,
    kNumber,
    kString,
    kDate,
    kTime,
    kDateTime,
    kDayTimeDuration,
    kYearMonthDuration,
    kList,
    kContext,
    kRange,
    kFunction
  };

  Value() = default;
  Value(bool b) : v_(b) {}  // NOLINT(google-explicit-constructor)
  Value(Decimal d) : v_(std::move(d)) {}
  Value(int64_t i) : v_(Decimal(i)) {}
  Value(int i) : v_(Decimal(i)) {}
  Value(std::string s) : v_(SharedString{std::make_shared<const std::string>(std::move(s))}) {}
  Value(const char* s) : Value(std::string(s)) {}
  Value(FDate d) : v_(d) {}
  Value(FTime t) : v_(std::move(t)) {}
  Value(FDateTime t) : v_(std::move(t)) {}
  Value(DayTimeDuration d) : v_(std::move(d)) {}
  Value(YearMonthDuration d) : v_(d) {}
  Value(List l) : v_(std::make_shared<const List>(std::move(l))) {}
  Value(std::shared_ptr<const Context> c) : v_(std::move(c)) {}
  Value(std::shared_ptr<const Range> r) : v_(std::move(r)) {}
  Value(std::shared_ptr<const Function> f) : v_(std::move(f)) {}
  Value(Context c);
  Value(Range r);

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool IsNull() const { return kind() == Kind::kNull; }
  bool Is(Kind k) const { return kind() == k; }

  bool AsBool() const { return std::get<bool>(v_); }
  const Decimal& AsNumber() const { return std::get<Decimal>(v_); }
  const std::string& AsString() const { return *std::get<SharedString>(v_).text; }
  const FDate& AsDate() const { return std::get<FDate>(v_); }
  const FTime& AsTime() const { return std::get<FTime>(v_); }
  const FDateTime& AsDateTime() const { return std::get<FDateTime>(v_); }
  const DayTimeDuration& AsDayTime() const { return std::get<DayTimeDuration>(v_); }
  const YearMonthDuration& AsYearMonth() const { return std::get<YearMonthDuration>(v_); }
  const List& AsList() const { return *std::get<std::shared_ptr<const List>>(v_); }
  const Context& AsContext() const { return *std::get<std::shared_ptr<const Context>>(v_); }
  const Range& AsRange() const { return *std::get<std::shared_ptr<const Range>>(v_); }
  const std::shared_ptr<const Function>& AsFunction() const {
    return std::get<std::shared_ptr<const Function>>(v_);
  }

  bool IsTrue() const { return kind() == Kind::kBoolean && AsBool(); }

 private:
  // A string is shared by the values that copy it (immutable, like lists and contexts).
  struct SharedString {
    std::shared_ptr<const std::string> text;
  };
  std::variant<std::monostate, bool, Decimal, SharedString, FDate, FTime, FDateTime,
               DayTimeDuration, YearMonthDuration, std::shared_ptr<const List>,
               std::shared_ptr<const Context>, std::shared_ptr<const Range>,
               std::shared_ptr<const Function>>
      v_;
};

// Whether two names are the same, without a library call for the short names FEEL code uses.
inline bool SameName(std::string_view a, std::string_view b) {
  size_t n = a.size();
  if (n != b.size()) return false;
  const char *x = a.data(), *y = b.data();
  if (x == y) return true;
  if (n >= 8 && n <= 16) {  // two 8-byte words, overlapping when shorter than 16
    uint64_t x0, y0, x1, y1;
    std::memcpy(&x0, x, 8), std::memcpy(&y0, y, 8);
    std::memcpy(&x1, x + n - 8, 8), std::memcpy(&y1, y + n - 8, 8);
    return x0 == y0 && x1 == y1;
  }
  if (n < 8) {
    for (size_t i = 0; i < n; ++i)
      if (x[i] != y[i]) return false;
    return true;
  }
  return std::memcmp(x, y, n) == 0;
}

struct Context {
  std::vector<std::pair<std::string, Value>> entries;
  const Value* Find(std::string_view name) const {
    for (const auto& [k, v] : entries)
      if (SameName(k, name)) return &v;
    return nullptr;
  }
  // Find, trying the entry at `hint` first (contexts of one shape have their entries in the
  // same places); `hint` becomes where it was found.
  const Value* Find(std::string_view name, size_t& hint) const {
    if (hint < entries.size() && SameName(entries[hint].first, name)) return &entries[hint].second;
    for (size_t i = 0; i < entries.size(); ++i)
      if (SameName(entries[i].first, name)) {
        hint = i;
        return &entries[i].second;
      }
    return nullptr;
  }
  void Set(std::string name, Value v) {
    for (auto& [k, old] : entries)
      if (k == name) {
        old = std::move(v);
        return;
      }
    entries.emplace_back(std::move(name), std::move(v));
  }
};

struct Range {
  Value start, end;  // null = unbounded on that side
  bool startIncluded = true, endIncluded = true;
};

class Evaluator;

// A callable: a built-in, a FEEL `function(...)`, a business knowledge model or a
// decision service. Parameters are named so invocations may use named arguments.
class Function {
 public:
  virtual ~Function() = default;
  // Each overload's parameter names, for named arguments (`substring(string: s, start
  // position: 2)`); the call receives the arguments in that overload's order.
  virtual const std::vector<std::vector<std::string>>& Signatures() const = 0;
  // True when the function takes any number of positional arguments (e.g. `min`).
  virtual bool Variadic() const { return false; }
  virtual Value Call(const std::vector<Value>& args) const = 0;
};

using NativeFn = std::function<Value(const std::vector<Value>&)>;
std::shared_ptr<const Function> MakeNativeFunction(std::vector<std::vector<std::string>> sigs,
                                                   NativeFn fn, bool variadic = false);

// Equality as FEEL's `=`: nullopt when the two are not comparable (different types).
std::optional<bool> Equal(const Value& a, const Value& b);
// Ordering as FEEL's `<`: -1, 0, 1 or nullopt when not comparable.
std::optional<int> Compare(const Value& a, const Value& b);
// Equality used by lists, `distinct values`, decision table tests and the TCK: numbers
// within `tolerance` when given.
bool SameValue(const Value& a, const Value& b, double tolerance = 0);

// FEEL `string(x)` for any value; strings come back bare.
std::string ToFeelString(const Value& v);
// FEEL literal form: strings quoted, for messages and explanations.
std::string ToFeelLiteral(const Value& v);
const char* KindName(Value::Kind k);

// ---- Temporal -------------------------------------------------------------------------
std::optional<FDate> ParseDate(std::string_view s);
std::optional<FTime> ParseTime(std::string_view s);
std::optional<FDateTime> ParseDateTime(std::string_view s);
std::optional<DayTimeDuration> ParseDayTimeDuration(std::string_view s);
std::optional<YearMonthDuration> ParseYearMonthDuration(std::string_view s);
// `@"..."` and `duration(...)`: whichever of the temporal types the text is.
Value ParseTemporal(std::string_view s);
std::string FormatDate(const FDate& d);
std::string FormatTime(const FTime& t);
std::string FormatDateTime(const FDateTime& t);
std::string FormatDuration(const DayTimeDuration& d);
std::string FormatDuration(const YearMonthDuration& d);

int64_t DaysFromCivil(int64_t y, int m, int d);
FDate CivilFromDays(int64_t days);
bool ValidDate(int64_t y, int m, int d);
// Seconds since 1970-01-01T00:00:00 of a date-time, taking its offset into account.
Decimal EpochSeconds(const FDateTime& t);
// Seconds of a time of day, offset applied.
Decimal DaySeconds(const FTime& t);
FDateTime FromEpochSeconds(const Decimal& s, const FTime& zoneLike);
Value AddMonths(const Value& dateOrDateTime, int64_t months);

}  // namespace waymark::rules
