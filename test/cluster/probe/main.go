// probe: a static network test tool for the smoke image (busybox-static's wget and nslookup
// need glibc's NSS modules, which a scratch image lacks).
//
//	probe get URL          print the body, exit 1 on error or non-2xx
//	probe lookup NAME      print the addresses (Go's resolver reads /etc/resolv.conf)
//	probe serve PORT TEXT  HTTP server answering TEXT and the hostname
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: probe get URL | lookup NAME | serve PORT TEXT")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "get":
		c := http.Client{Timeout: 5 * time.Second}
		r, err := c.Get(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		os.Stdout.Write(b)
		if r.StatusCode/100 != 2 {
			fmt.Fprintln(os.Stderr, r.Status)
			os.Exit(1)
		}
	case "lookup":
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		addrs, err := (&net.Resolver{PreferGo: true}).LookupHost(ctx, os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for _, a := range addrs {
			fmt.Println(a)
		}
	case "serve":
		host, _ := os.Hostname()
		text := "hello"
		if len(os.Args) > 3 {
			text = os.Args[3]
		}
		http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintf(w, "%s from %s\n", text, host) })
		if err := http.ListenAndServe(":"+os.Args[2], nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	default:
		fmt.Fprintln(os.Stderr, "unknown command", os.Args[1])
		os.Exit(2)
	}
}
