# SPDX-License-Identifier: MIT
#
# cmake -DDMAE=<tools/dmae> -DCHECK=<check> [-DOUT=<file prefix>] -P DmaeCheckTool.cmake
#
# Runs the dmae tool and checks more than its exit status, which is all a
# plain CTest test sees (and which PASS_REGULAR_EXPRESSION would ignore):
#
#   perf_smoke         a tiny "dmae perf" sweep writing <OUT>.json/.csv/.svg;
#                      the three files describe the same verified cases
#   perf_most_cases    32 sizes of 12 cases each, the most --sizes allows
#   perf_latency       "dmae perf --latency-only": a row per route, idle and
#                      loaded, each with its line round trip
#   perf_audio_late    "dmae perf --audio --audio-stall": the stalled
#                      callback shows as a late period in every row
#   perf_usage_errors  each bad "dmae perf" argument exits 2 with one line
#                      on stderr naming it
#   info               "dmae info" exits 0 and names both providers
#   json_stdout        "--json -" of info, test and perf: standard output is
#                      one JSON document, the report goes to standard error;
#                      a --json FILE that cannot be written fails (exit 1)
#   version            "dmae --version" prints VERSION (from version.h)

# The project's minimum, for string(JSON) and if(IN_LIST) (policy CMP0057).
cmake_minimum_required(VERSION 3.20)

function(run_dmae)
	execute_process(COMMAND "${DMAE}" ${ARGN}
			OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
	set(out "${out}" PARENT_SCOPE)
	set(err "${err}" PARENT_SCOPE)
	set(rc "${rc}" PARENT_SCOPE)
endfunction()

if(CHECK STREQUAL "perf_smoke")
	set(sizes 64 65536)
	string(REPLACE ";" "," sizes_arg "${sizes}")
	# A file left by an earlier run must not pass for this run's.
	file(REMOVE "${OUT}.json" "${OUT}.csv" "${OUT}.svg")
	run_dmae(perf --time 0.002 --reps 3 --sizes ${sizes_arg}
		 --json "${OUT}.json" --csv "${OUT}.csv" --svg "${OUT}.svg")
	if(NOT rc EQUAL 0)
		message(FATAL_ERROR "dmae perf failed: ${rc}\n${out}${err}")
	endif()

	# JSON (string(JSON) fails on a syntax error or a missing key): every
	# case of the requested sizes, verified, with its ratio to memcpy.
	file(READ "${OUT}.json" json)
	string(JSON reps GET "${json}" repetitions)
	string(JSON failures GET "${json}" failures)
	string(JSON ncases LENGTH "${json}" cases)
	if(NOT reps EQUAL 3 OR NOT failures EQUAL 0 OR ncases EQUAL 0)
		message(FATAL_ERROR "${OUT}.json: repetitions ${reps} (want 3), "
			"failures ${failures} (want 0), ${ncases} cases (want some)")
	endif()
	set(rows "")
	set(seen "")
	math(EXPR last "${ncases} - 1")
	foreach(i RANGE ${last})
		string(JSON mode GET "${json}" cases ${i} mode)
		string(JSON size GET "${json}" cases ${i} size)
		string(JSON verified GET "${json}" cases ${i} verified)
		string(JSON ratio GET "${json}" cases ${i} ratio_to_cpu)
		# every repetition's GB/s, in round order (the paired ratios' input)
		string(JSON nrep LENGTH "${json}" cases ${i} rep_gbs)
		# the single-operation cases carry the round trip measured before them
		string(JSON rtt GET "${json}" cases ${i} line_rtt_ns)
		string(JSON rtt_after GET "${json}" cases ${i} line_rtt_after_ns)
		if(NOT nrep EQUAL reps OR (mode MATCHES "-b1$" AND NOT rtt GREATER 0)
		   OR (NOT mode MATCHES "-b1$" AND NOT rtt EQUAL 0)
		   OR (mode MATCHES "-b1$" AND NOT rtt_after GREATER 0)
		   OR (NOT mode MATCHES "-b1$" AND NOT rtt_after EQUAL 0))
			message(FATAL_ERROR "${OUT}.json: case ${i} (${mode}): ${nrep} rep_gbs "
				"(want ${reps}), line_rtt_ns ${rtt} and line_rtt_after_ns "
				"${rtt_after} (want > 0 for the -b1 modes, else 0)")
		endif()
		# memcpy is its own baseline: exactly 1.  Others may round to 0.000
		# when the engine's threads hardly ran on a busy machine.
		if(NOT size IN_LIST sizes OR NOT verified STREQUAL "ON" OR ratio LESS 0
		   OR (mode STREQUAL "memcpy" AND NOT ratio EQUAL 1))
			message(FATAL_ERROR "${OUT}.json: case ${i} (${mode}): size ${size} "
				"(want one of ${sizes}), verified ${verified} (want true), "
				"ratio_to_cpu ${ratio} (want >= 0, 1 for memcpy)")
		endif()
		list(APPEND rows "${mode},${size}")
		list(APPEND seen ${size})
		list(APPEND modes ${mode})
	endforeach()
	# the baselines: glibc, two threads, and (x86-64) the non-temporal copy
	foreach(mode memcpy cpu-2t fp-1w-b1 desc-irq-1w-b1)
		if(NOT mode IN_LIST modes)
			message(FATAL_ERROR "${OUT}.json: no ${mode} case")
		endif()
	endforeach()
	# the single-operation round trips of the targets, with the line round trip
	string(JSON nlat LENGTH "${json}" latency)
	if(NOT nlat EQUAL 2)
		message(FATAL_ERROR "${OUT}.json: ${nlat} latency rows, want fp and hardirq")
	endif()
	foreach(size IN LISTS sizes)
		if(NOT size IN_LIST seen)
			message(FATAL_ERROR "${OUT}.json: no case of size ${size}")
		endif()
	endforeach()

	# CSV: the header, then the JSON's cases in the same order, verified.
	file(STRINGS "${OUT}.csv" lines)
	list(POP_FRONT lines header)
	list(LENGTH lines nlines)
	if(NOT header MATCHES "^mode,api,op,size,.*,verified$" OR NOT nlines EQUAL ncases)
		message(FATAL_ERROR "${OUT}.csv: header '${header}' and ${nlines} lines; "
			"want mode,api,op,size,...,verified and ${ncases}, one per case")
	endif()
	string(REPLACE "," ";" fields "${header}")
	list(LENGTH fields nfields)
	foreach(line row IN ZIP_LISTS lines rows)
		string(REPLACE "," ";" fields "${line}")
		list(LENGTH fields n)
		list(GET fields 0 mode)
		list(GET fields 3 size)
		list(GET fields -1 verified)
		if(NOT n EQUAL nfields OR NOT "${mode},${size}" STREQUAL row OR NOT verified EQUAL 1)
			message(FATAL_ERROR "${OUT}.csv: '${line}': want ${nfields} fields, "
				"the JSON's case ${row}, verified 1")
		endif()
	endforeach()

	# SVG: a whole document with the memcpy curve drawn.
	file(READ "${OUT}.svg" svg)
	if(NOT svg MATCHES "^(<\\?xml[^\n]*\n)?<svg " OR NOT svg MATCHES "</svg>\n$")
		message(FATAL_ERROR "${OUT}.svg: not a whole <svg> document")
	endif()
	if(NOT svg MATCHES "<polyline [^>]*points=\"[0-9.]+,[0-9.]+ "
	   OR NOT svg MATCHES ">memcpy</text>")
		message(FATAL_ERROR "${OUT}.svg: no memcpy curve with points")
	endif()
	message(STATUS "dmae perf: ${ncases} cases in ${OUT}.json/.csv/.svg")

elseif(CHECK STREQUAL "perf_most_cases")
	# The most cases --sizes allows (32 sizes of 64 B, 12 cases each with
	# cpu-nt, 11 without): the case table must hold them all.
	string(REPEAT "64," 31 sizes)
	file(REMOVE "${OUT}.json")
	run_dmae(perf --time 0.001 --reps 3 --sizes ${sizes}64 --json "${OUT}.json")
	if(NOT rc EQUAL 0)
		message(FATAL_ERROR "dmae perf failed: ${rc}\n${err}")
	endif()
	file(READ "${OUT}.json" json)
	string(JSON ncases LENGTH "${json}" cases)
	if(NOT ncases EQUAL 384 AND NOT ncases EQUAL 352)
		message(FATAL_ERROR "${OUT}.json: ${ncases} cases, want 384 (352 without cpu-nt)")
	endif()
	message(STATUS "dmae perf: ${ncases} cases")

elseif(CHECK STREQUAL "perf_latency")
	file(REMOVE "${OUT}.json")
	run_dmae(perf --latency-only --lat-count 200 --json "${OUT}.json")
	if(NOT rc EQUAL 0)
		message(FATAL_ERROR "dmae perf --latency-only failed: ${rc}\n${out}${err}")
	endif()
	file(READ "${OUT}.json" json)
	string(JSON nlat LENGTH "${json}" latency)
	set(want "")
	foreach(cpus idle loaded)
		foreach(route hardirq bh task completion comp-try poll fp)
			list(APPEND want "${route}/${cpus}")
		endforeach()
	endforeach()
	set(got "")
	math(EXPR last "${nlat} - 1")
	foreach(i RANGE ${last})
		string(JSON route GET "${json}" latency ${i} route)
		string(JSON cpus GET "${json}" latency ${i} cpus)
		string(JSON n GET "${json}" latency ${i} n)
		string(JSON p50 GET "${json}" latency ${i} p50_ns)
		string(JSON rtt GET "${json}" latency ${i} line_rtt_ns)
		string(JSON rtt_after GET "${json}" latency ${i} line_rtt_after_ns)
		# after a loaded row a ping-pong would measure the hog: none
		if(NOT n EQUAL 200 OR NOT p50 GREATER 0 OR NOT rtt GREATER 0
		   OR (cpus STREQUAL "idle" AND NOT rtt_after GREATER 0)
		   OR (cpus STREQUAL "loaded" AND NOT rtt_after EQUAL 0))
			message(FATAL_ERROR "${OUT}.json: ${route}/${cpus}: n ${n} (want 200), "
				"p50 ${p50} and line round trip ${rtt} (want > 0), after it "
				"${rtt_after} (want > 0 idle, 0 loaded)")
		endif()
		list(APPEND got "${route}/${cpus}")
	endforeach()
	if(NOT got STREQUAL want)
		message(FATAL_ERROR "${OUT}.json: rows ${got}; want ${want}")
	endif()
	message(STATUS "dmae perf --latency-only: ${nlat} rows")

elseif(CHECK STREQUAL "perf_audio_late")
	# Period 50's callback spins 50 ms, more than the 4 periods of audio
	# buffered at 5 ms: a stale period must play and be counted, in every
	# row that played past it (a machine stalled for the whole row plays
	# fewer periods; such a row cannot tell).
	run_dmae(perf --audio 400 --audio-stall 50)
	if(NOT rc EQUAL 0)
		message(FATAL_ERROR "dmae perf --audio failed: ${rc}\n${out}${err}")
	endif()
	string(REGEX MATCHALL "\n(hard-IRQ|BH|task) +[0-9]+ ms [a-z]+ +[0-9]+ +[0-9]+ +[0-9]+"
	       rows "${out}")
	list(LENGTH rows nrows)
	if(NOT nrows EQUAL 18)
		message(FATAL_ERROR "dmae perf --audio: ${nrows} rows, want 18\n${out}")
	endif()
	set(checked 0)
	foreach(row IN LISTS rows)
		string(REGEX MATCH "([0-9]+) +([0-9]+) +([0-9]+)$" _ "${row}")
		set(periods ${CMAKE_MATCH_1})
		set(late ${CMAKE_MATCH_3})
		if(periods GREATER 60)
			math(EXPR checked "${checked} + 1")
			if(NOT late GREATER 0)
				message(FATAL_ERROR "dmae perf --audio-stall: no late period in '${row}'\n${out}")
			endif()
		endif()
	endforeach()
	if(checked EQUAL 0)
		message(FATAL_ERROR "dmae perf --audio: no row played past the stalled period\n${out}")
	endif()
	message(STATUS "dmae perf --audio-stall: a late period in each of ${checked} rows")

elseif(CHECK STREQUAL "perf_usage_errors")
	# A list too long for the parser, which must not be cut to "65536".
	string(REPEAT "0" 250 zeros)
	foreach(bad "--reps 2" "--reps 16" "--sizes 63" "--sizes 8M" "--modes nosuch"
		    "--burst 0" "--qd 1" "--nt-min 0" "--nosuch" "--modes ," "--sizes 64,,128"
		    "--modes fp-fill-2w" "--sizes ${zeros}6553600" "--ws warm" "--pin x"
		    "--audio-stall 5")
		separate_arguments(args UNIX_COMMAND "${bad}")
		list(GET args 0 opt)
		set(want "${opt}")
		if(bad MATCHES " (.*)")
			string(APPEND want "[^\n]*'${CMAKE_MATCH_1}'")
		endif()
		# Valid options first: should the bad one be accepted, the run is
		# short instead of the default sweep.
		run_dmae(perf --time 0.002 --reps 3 --sizes 64 --modes memcpy ${args})
		if(NOT rc EQUAL 2 OR NOT err MATCHES "^dmae perf: [^\n]*${want}[^\n]*\n$")
			message(FATAL_ERROR "dmae perf ${bad}: exit ${rc}, stderr '${err}'; "
				"want exit 2 and one line naming ${opt}")
		endif()
	endforeach()
	message(STATUS "dmae perf: every bad argument refused")

elseif(CHECK STREQUAL "info")
	run_dmae(info)
	if(NOT rc EQUAL 0)
		message(FATAL_ERROR "dmae info failed: ${rc}\n${out}${err}")
	endif()
	foreach(provider swdma simdmac)
		if(NOT out MATCHES "provider ${provider}[0-9]+: [0-9]+ channel")
			message(FATAL_ERROR "dmae info names no provider ${provider}:\n${out}")
		endif()
	endforeach()
	message(STATUS "dmae info: swdma and simdmac listed")

elseif(CHECK STREQUAL "json_stdout")
	# string(JSON) fails on anything but one valid document.
	run_dmae(info --json -)
	string(JSON n ERROR_VARIABLE jerr LENGTH "${out}" channels)
	if(NOT rc EQUAL 0 OR jerr OR NOT n GREATER 0 OR NOT err MATCHES "provider swdma")
		message(FATAL_ERROR "dmae info --json -: exit ${rc}, ${n} channels (${jerr}); "
			"want 0, some channels, the table on stderr\n${out}")
	endif()
	run_dmae(test --iterations 10 --json -)
	string(JSON tests ERROR_VARIABLE jerr GET "${out}" tests)
	string(JSON failures GET "${out}" failures)
	string(JSON nthreads LENGTH "${out}" threads)
	math(EXPR want "${nthreads} * 10")
	if(NOT rc EQUAL 0 OR jerr OR NOT tests EQUAL want OR NOT failures EQUAL 0
	   OR NOT err MATCHES "summary ${want} tests")
		message(FATAL_ERROR "dmae test --json -: exit ${rc}, ${tests} tests, ${failures} "
			"failures (${jerr}); want ${want} and 0, the summary on stderr\n${out}")
	endif()
	run_dmae(perf --time 0.002 --reps 3 --sizes 64 --modes memcpy --json -)
	string(JSON ncases ERROR_VARIABLE jerr LENGTH "${out}" cases)
	if(NOT rc EQUAL 0 OR jerr OR NOT ncases EQUAL 1 OR NOT err MATCHES "1 cases, 0 failed")
		message(FATAL_ERROR "dmae perf --json -: exit ${rc}, ${ncases} cases (${jerr}); "
			"want 1, the table on stderr\n${out}")
	endif()
	if(EXISTS "${CMAKE_CURRENT_BINARY_DIR}/-")
		message(FATAL_ERROR "a file named '-' was written")
	endif()
	# A file that cannot be written: exit 1 and a line naming it.
	set(bad "${CMAKE_CURRENT_BINARY_DIR}/no-such-dir/out.json")
	foreach(cmd "info" "test;--iterations;2" "perf;--time;0.002;--reps;3;--sizes;64;--modes;memcpy")
		run_dmae(${cmd} --json "${bad}")
		if(NOT rc EQUAL 1 OR NOT err MATCHES "dmae [a-z]+: [^\n]*no-such-dir/out.json")
			message(FATAL_ERROR "dmae ${cmd} --json ${bad}: exit ${rc}, stderr '${err}'; "
				"want exit 1 and a line naming the file")
		endif()
	endforeach()
	message(STATUS "dmae info, test, perf: --json - is one JSON document on stdout")

elseif(CHECK STREQUAL "version")
	run_dmae(--version)
	if(NOT rc EQUAL 0 OR NOT out STREQUAL "dmae ${VERSION}\n")
		message(FATAL_ERROR "dmae --version: exit ${rc}, '${out}'; want 'dmae ${VERSION}'")
	endif()
	message(STATUS "dmae --version: ${VERSION}")

else()
	message(FATAL_ERROR "CHECK='${CHECK}': want perf_smoke, perf_most_cases, perf_latency, "
		"perf_audio_late, perf_usage_errors, info, json_stdout or version")
endif()
