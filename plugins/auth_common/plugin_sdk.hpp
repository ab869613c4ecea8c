// Includes <herald/sdk/plugin.hpp> for the auth-type plugins.
//
// Workaround, to be removed once the SDK is fixed: with GCC and -Wextra,
// AuthTypeAdapter<T>::Tables (plugin.hpp) mixes an enumerator and an
// unsigned in one conditional expression ("enumerated and non-enumerated type
// in conditional expression"), which -Werror turns into an error in every
// auth-type plugin built in-tree. That warning has no option of its own, so
// it is silenced here for the SDK header alone.
#ifndef HERALD_PLUGINS_AUTH_COMMON_PLUGIN_SDK_HPP_
#define HERALD_PLUGINS_AUTH_COMMON_PLUGIN_SDK_HPP_

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wextra"
#endif
#include <herald/sdk/plugin.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif  // HERALD_PLUGINS_AUTH_COMMON_PLUGIN_SDK_HPP_
