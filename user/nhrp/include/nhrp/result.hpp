// SPDX-License-Identifier: GPL-2.0
// Result<T>: a value or a DecodeError (C++20 has no std::expected).
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <variant>

#include "nhrp/error.hpp"

namespace nhrp {

template <class T> class Result {
public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  [[nodiscard]] bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  T &value() & { return std::get<T>(v_); }
  const T &value() const & { return std::get<T>(v_); }
  T &&value() && { return std::get<T>(std::move(v_)); }
  const Error &error() const { return std::get<Error>(v_); }

  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }

private:
  std::variant<T, Error> v_;
};

} // namespace nhrp
