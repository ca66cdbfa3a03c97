package dev.cachet.proxy;
