// Waiting in tests for something another thread does, without asserting
// how long it takes.
#ifndef HERALD_CORE_DEPLOY_EVENTUALLY_TEST_UTIL_H_
#define HERALD_CORE_DEPLOY_EVENTUALLY_TEST_UTIL_H_

#include <chrono>
#include <thread>

namespace herald::deploy::testing {

// Waits for `done` to become true, for as long as a loaded machine might
// need; false only if it never does.
template <typename Predicate>
bool Eventually(Predicate done) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace herald::deploy::testing

#endif  // HERALD_CORE_DEPLOY_EVENTUALLY_TEST_UTIL_H_
